package dev.aimnext.operators.finetune.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Reads and writes {@link RunRecord} as {@code run.json} (snake_case keys, one object). */
public final class RunRecordJson {

    /** Bumped when a key changes meaning; a reader refuses versions it does not know. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RunRecordJson() {}

    public static String toPrettyString(RunRecord run) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(run));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write run.json", e);
        }
    }

    public static ObjectNode toJson(RunRecord run) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("run_id", run.runId());
        root.put("state", run.state().name());
        root.put("message", run.message());
        root.put("created_at_ms", run.createdAtMs());
        root.put("updated_at_ms", run.updatedAtMs());
        root.put("driver_pid", run.driverPid());
        RunRecord.Launch launch = run.launch();
        if (launch != null) {
            ObjectNode l = root.putObject("launch");
            l.put("spec_file", launch.specFile());
            l.put("spec", launch.spec());
            l.put("backend", launch.backend());
            ArrayNode command = l.putArray("trainer_command");
            launch.trainerCommand().forEach(command::add);
            l.put("retries", launch.retries());
            l.put("stall_timeout_ms", launch.stallTimeoutMs());
        }
        root.set("dataset", run.dataset());
        root.set("plan", run.plan());
        ArrayNode attempts = root.putArray("attempts");
        for (AttemptRecord a : run.attempts()) {
            ObjectNode n = attempts.addObject();
            n.put("attempt", a.attempt());
            n.put("started_at_ms", a.startedAtMs());
            n.put("resumed_from", a.resumedFrom());
            n.put("ended_at_ms", a.endedAtMs());
            n.put("exit_code", a.exitCode());
            n.put("last_step", a.lastStep());
            n.put("outcome", a.outcome());
        }
        RunRecord.Progress p = run.progress();
        ObjectNode progress = root.putObject("progress");
        progress.put("step", p.step);
        progress.put("total_steps", p.totalSteps);
        progress.put("epoch", p.epoch);
        progress.put("loss", p.loss);
        progress.put("eval_loss", p.evalLoss);
        progress.put("best_eval_loss", p.bestEvalLoss);
        progress.put("best_checkpoint", p.bestCheckpoint);
        progress.put("last_checkpoint", p.lastCheckpoint);
        progress.put("last_event_at_ms", p.lastEventAtMs);
        root.put("final_checkpoint", run.finalCheckpoint());
        root.put("output_path", run.outputPath());
        root.put("profile_path", run.profilePath());
        return root;
    }

    /**
     * @param source names the file in errors
     * @throws IllegalArgumentException when it is not a run.json this version can read
     */
    public static RunRecord parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (!root.isObject() || root.path("format_version").asInt(-1) != FORMAT_VERSION) {
            throw new IllegalArgumentException(source + ": not a run.json of format_version " + FORMAT_VERSION);
        }
        RunState state;
        try {
            state = RunState.valueOf(root.path("state").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": unknown state " + root.path("state"));
        }
        String runId = root.path("run_id").asText("");
        if (runId.isEmpty()) {
            throw new IllegalArgumentException(source + ": no run_id");
        }
        RunRecord run = new RunRecord(runId, root.path("created_at_ms").asLong());
        run.restore(state, root.path("updated_at_ms").asLong(), text(root, "message"));
        run.driverPid(root.path("driver_pid").asLong());
        JsonNode l = root.path("launch");
        if (l.isObject()) {
            List<String> command = new ArrayList<>();
            l.path("trainer_command").forEach(c -> command.add(c.asText()));
            run.launch(new RunRecord.Launch(text(l, "spec_file"), text(l, "spec"), l.path("backend").asText("local"),
                    command, l.path("retries").asInt(0), l.path("stall_timeout_ms").asLong()));
        }
        if (root.path("dataset").isObject()) {
            run.dataset((ObjectNode) root.get("dataset"));
        }
        if (root.path("plan").isObject()) {
            run.plan((ObjectNode) root.get("plan"));
        }
        for (JsonNode a : root.path("attempts")) {
            run.attempts().add(new AttemptRecord(a.path("attempt").asInt(), a.path("started_at_ms").asLong(),
                    text(a, "resumed_from"), a.path("ended_at_ms").asLong(),
                    a.path("exit_code").isInt() ? a.get("exit_code").asInt() : null, a.path("last_step").asLong(),
                    text(a, "outcome")));
        }
        JsonNode p = root.path("progress");
        RunRecord.Progress progress = run.progress();
        progress.step = p.path("step").asLong();
        progress.totalSteps = p.path("total_steps").isNumber() ? p.get("total_steps").asLong() : null;
        progress.epoch = p.path("epoch").asDouble();
        progress.loss = number(p, "loss");
        progress.evalLoss = number(p, "eval_loss");
        progress.bestEvalLoss = number(p, "best_eval_loss");
        progress.bestCheckpoint = text(p, "best_checkpoint");
        progress.lastCheckpoint = text(p, "last_checkpoint");
        progress.lastEventAtMs = p.path("last_event_at_ms").asLong();
        run.finalCheckpoint(text(root, "final_checkpoint"));
        run.outputPath(text(root, "output_path"));
        run.profilePath(text(root, "profile_path"));
        return run;
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Double number(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || !v.isNumber() ? null : v.asDouble();
    }
}
