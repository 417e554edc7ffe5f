package dev.aimnext.jobs.cli;

import dev.aimnext.operators.guardrails.engine.BuiltinPacks;
import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.ModelPackException;
import dev.aimnext.operators.guardrails.pii.PiiGuardrail;
import dev.aimnext.operators.guardrails.policy.GuardrailPolicy;
import dev.aimnext.operators.guardrails.policy.GuardrailPolicyParser;
import dev.aimnext.operators.guardrails.policy.ModelDecision;
import dev.aimnext.operators.guardrails.policy.StageGuardrails;
import dev.aimnext.operators.guardrails.stage.ModelFindings;
import dev.aimnext.operators.guardrails.stage.ModelInputText;
import dev.aimnext.operators.guardrails.stage.ModelTextScorer;
import dev.aimnext.operators.guardrails.stage.VerdictReasons;
import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.ChatMessage;
import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailFinding;
import dev.aimnext.schemas.event.GuardrailStage;
import dev.aimnext.schemas.event.InferenceRequest;
import dev.aimnext.schemas.json.ChatRequestJsonDecoder;
import dev.aimnext.schemas.json.RequestContext;
import dev.aimnext.schemas.kafka.InferenceRequestDecoder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code aim scan --input FILE.jsonl [--policy FILE] [--stage input|output] [--output FILE]}: the
 * job's guardrails over a file, offline. One output line per input line, in order:
 * {@code {"line", "action", "text", "findings":[{guardrail, type, score, start, end, location}],
 * "scores":{guardrail: score}, "reason", ...}}. {@code --stage} picks the policy's model guardrail
 * list: {@code input} (default) for requests ({@code text}, {@code messages} or {@code prompt}
 * lines), {@code output} for model responses ({@code text} lines). A bad line yields
 * {@code "action":"error"} with a reason and the run goes on.
 */
final class ScanCommand {

    /** Lines scored together: one engine call per pack per chunk. */
    private static final int CHUNK = 32;

    private final CliArgs args;
    private final PrintStream err;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ChatRequestJsonDecoder requests = new ChatRequestJsonDecoder();

    ScanCommand(CliArgs args, PrintStream err) {
        this.args = args;
        this.err = err;
    }

    /** A parsed line on its way through the guardrails; {@code modelText} is null for an error line. */
    private static final class Line {
        final ObjectNode result;
        String modelText;
        String location;
        GuardrailAction piiAction;
        List<GuardrailFinding> piiFindings;
        /** Sets the text fields of the result once the action is known. */
        Consumer<Boolean> writeText;

        Line(ObjectNode result) {
            this.result = result;
        }
    }

    int run() throws IOException {
        String input = args.optional("input").orElseThrow(
                () -> new IllegalArgumentException("scan needs --input FILE.jsonl (or --input - for stdin)"));
        GuardrailPolicy policy = args.optional("policy").map(p -> GuardrailPolicyParser.parseFile(Path.of(p)))
                .orElseGet(GuardrailPolicyParser::defaultPolicy);
        GuardrailStage stage = stage(args.value("stage", "input"));
        String output = args.value("output", "-");
        args.requireConsumed();
        if (!input.equals("-") && !Files.isReadable(Path.of(input))) {
            throw new IllegalArgumentException("cannot read input file " + input);
        }
        PiiGuardrail guardrail = new PiiGuardrail(policy.pii(), System::getenv);
        guardrail.checkSecretsAvailable("default");
        Path cache = BuiltinPacks.defaultCacheDir();
        StageGuardrails models = StageGuardrails.bind(policy, stage, StageGuardrails.packLoader(cache));

        Map<GuardrailAction, Integer> counts = new EnumMap<>(GuardrailAction.class);
        int[] errors = {0};
        int lineNumber = 0;
        try (ModelTextScorer scorer = openScorer(models, cache);
                BufferedReader reader = reader(input); Writer writer = writer(output)) {
            List<Line> chunk = new ArrayList<>(CHUNK);
            String text;
            while ((text = reader.readLine()) != null) {
                lineNumber++;
                chunk.add(parseLine(guardrail, policy, stage, text, lineNumber));
                if (chunk.size() == CHUNK) {
                    finish(chunk, models, scorer, writer, counts, errors);
                }
            }
            finish(chunk, models, scorer, writer, counts, errors);
            err.printf("aim scan: %d lines: allow %d, redact %d, block %d, error %d (policy %s, stage %s%s)%n",
                    lineNumber, counts.getOrDefault(GuardrailAction.ALLOW, 0),
                    counts.getOrDefault(GuardrailAction.REDACT, 0), counts.getOrDefault(GuardrailAction.BLOCK, 0),
                    errors[0], policy.version(), stage.name().toLowerCase(Locale.ROOT),
                    scorer.versions().isEmpty() ? "" : ", packs " + scorer.versions());
        }
        return 0;
    }

    /** Opens the packs; one that ONNX Runtime cannot load is a one-line error naming its file. */
    private static ModelTextScorer openScorer(StageGuardrails models, Path cache) {
        try {
            return ModelTextScorer.open(models, cache, EngineSettings.defaults());
        } catch (ModelPackException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static GuardrailStage stage(String name) {
        return switch (name) {
            case "input" -> GuardrailStage.INPUT;
            case "output" -> GuardrailStage.OUTPUT;
            default -> throw new IllegalArgumentException("--stage must be input or output, got '" + name + "'");
        };
    }

    /** Scores the chunk's texts, decides each line, writes the lines in order and empties the chunk. */
    private void finish(List<Line> chunk, StageGuardrails models, ModelTextScorer scorer, Writer writer,
                        Map<GuardrailAction, Integer> counts, int[] errors) throws IOException {
        List<String> texts = new ArrayList<>();
        for (Line line : chunk) {
            if (line.modelText != null) {
                texts.add(line.modelText);
            }
        }
        List<ModelTextScorer.Scored> scored = models.isEmpty() ? List.of() : scorer.score(texts);
        int next = 0;
        for (Line line : chunk) {
            if (line.modelText == null) {
                errors[0]++;
            } else {
                ModelTextScorer.Scored s = models.isEmpty()
                        ? new ModelTextScorer.Scored(Map.of(), Map.of())
                        : scored.get(next++);
                counts.merge(decide(line, models, s), 1, Integer::sum);
            }
            writer.write(mapper.writeValueAsString(line.result));
            writer.write('\n');
        }
        chunk.clear();
    }

    private GuardrailAction decide(Line line, StageGuardrails models, ModelTextScorer.Scored scored) {
        ModelDecision model = ModelDecision.decide(models, scored.scores(), scored.failures());
        GuardrailAction action = model.blocked() ? GuardrailAction.BLOCK : line.piiAction;
        ObjectNode result = line.result;
        result.put("action", action.name().toLowerCase(Locale.ROOT));
        line.writeText.accept(action == GuardrailAction.BLOCK);
        List<GuardrailFinding> findings = new ArrayList<>(line.piiFindings);
        findings.addAll(ModelFindings.of(model, line.location, line.modelText.length()));
        findings(result, findings);
        ObjectNode scores = result.putObject("scores");
        new TreeMap<>(scored.scores()).forEach(scores::put);
        scores.put(PiiGuardrail.NAME, line.piiFindings.stream().mapToDouble(GuardrailFinding::getScore).max().orElse(0));
        result.put("reason", VerdictReasons.summarize(action, line.piiFindings, model.reasonParts()));
        return action;
    }

    private Line parseLine(PiiGuardrail guardrail, GuardrailPolicy policy, GuardrailStage stage, String text,
                           int lineNumber) {
        ObjectNode result = mapper.createObjectNode();
        result.put("line", lineNumber);
        Line line = new Line(result);
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            return error(line, "invalid JSON at column " + column);
        }
        if (node == null || !node.isObject()) {
            return error(line, text.isBlank() ? "empty line" : "line is not a JSON object");
        }
        result.put("policy_version", policy.version());
        if (node.has("text")) {
            if (!node.get("text").isTextual()) {
                return error(line, "'text' must be a string");
            }
            String original = node.get("text").asText();
            PiiGuardrail.TextOutcome outcome = guardrail.checkText(original, node.path("tenant").asText("default"));
            line.modelText = original;
            line.location = "text";
            line.piiAction = outcome.action();
            line.piiFindings = outcome.findings();
            line.writeText = blocked -> {
                if (blocked) {
                    result.putNull("text");
                } else {
                    result.put("text", outcome.text());
                }
            };
            return line;
        }
        if (stage == GuardrailStage.OUTPUT) {
            return error(line, "with --stage output a line needs 'text' (a model response)");
        }
        if (!node.has("messages") && !node.has("prompt")) {
            return error(line, "line has neither 'text' nor 'messages' or 'prompt'");
        }
        try {
            InferenceRequest request = InferenceRequestDecoder.validate(
                    requests.decode(text, RequestContext.offline("line-" + lineNumber)));
            PiiGuardrail.RequestOutcome outcome = guardrail.check(request);
            result.put("id", request.getRequestId());
            line.modelText = ModelInputText.of(request);
            line.location = "request";
            line.piiAction = outcome.action();
            line.piiFindings = outcome.findings();
            line.writeText = blocked -> writeRequest(result, blocked ? null : outcome.forwarded());
            return line;
        } catch (EventDecodingException e) {
            return error(line, e.getMessage());
        }
    }

    private static void writeRequest(ObjectNode result, InferenceRequest forwarded) {
        if (forwarded == null) {
            result.putNull("text");
            return;
        }
        StringJoiner text = new StringJoiner("\n");
        ArrayNode messages = result.putArray("messages");
        for (ChatMessage m : forwarded.getMessages()) {
            text.add(m.getContent());
            messages.addObject().put("role", m.getRole()).put("content", m.getContent());
        }
        if (forwarded.getPrompt() != null) {
            text.add(forwarded.getPrompt());
            result.put("prompt", forwarded.getPrompt());
        }
        result.put("text", text.toString());
    }

    private static void findings(ObjectNode result, List<GuardrailFinding> findings) {
        ArrayNode array = result.putArray("findings");
        for (GuardrailFinding f : findings) {
            array.addObject()
                    .put("guardrail", f.getGuardrail())
                    .put("type", f.getType())
                    .put("score", f.getScore())
                    .put("start", f.getStart())
                    .put("end", f.getEnd())
                    .put("location", f.getLocation())
                    .put("treatment", f.getTreatment());
        }
    }

    private static Line error(Line line, String reason) {
        line.result.put("action", "error");
        line.result.put("reason", reason);
        return line;
    }

    private static BufferedReader reader(String input) throws IOException {
        return input.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
    }

    private static Writer writer(String output) throws IOException {
        return output.equals("-")
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)) {
                    @Override
                    public void close() throws IOException {
                        flush(); // never close stdout
                    }
                }
                : Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8);
    }
}
