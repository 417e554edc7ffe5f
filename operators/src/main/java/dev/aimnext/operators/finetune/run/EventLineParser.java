package dev.aimnext.operators.finetune.run;

import dev.aimnext.schemas.event.TrainingEventKind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one line of trainer output (docs/FINETUNE-PROTOCOL.md §2). A line that is not a JSON object
 * with {@code "aim_event"} is an ordinary log line and comes back empty, so logs pass through. A line
 * that is one is checked strictly: a known kind, the common fields, the kind's required fields, no
 * field the kind does not define and the right JSON types; anything else is a {@link
 * MalformedEventException}, because a trainer that drifts from the protocol should be noticed, not
 * half-understood.
 */
public final class EventLineParser {

    private static final Set<String> COMMON = Set.of("aim_event", "run_id", "step", "epoch", "emitted_at_ms");

    /** Required and optional fields per kind, besides {@link #COMMON}. */
    private static final Map<TrainingEventKind, Set<String>> REQUIRED = new EnumMap<>(Map.of(
            TrainingEventKind.STARTED, Set.of(),
            TrainingEventKind.STEP, Set.of("loss"),
            TrainingEventKind.EVAL, Set.of("eval_loss"),
            TrainingEventKind.CHECKPOINT, Set.of("checkpoint_path"),
            TrainingEventKind.COMPLETED, Set.of("checkpoint_path"),
            TrainingEventKind.FAILED, Set.of("message")));

    private static final Map<TrainingEventKind, Set<String>> OPTIONAL = new EnumMap<>(Map.of(
            TrainingEventKind.STARTED, Set.of("message", "total_steps"),
            TrainingEventKind.STEP, Set.of("learning_rate", "grad_norm", "tokens_per_sec", "gpu_memory_bytes", "eta_sec"),
            TrainingEventKind.EVAL, Set.of(),
            TrainingEventKind.CHECKPOINT, Set.of(),
            TrainingEventKind.COMPLETED, Set.of(),
            TrainingEventKind.FAILED, Set.of()));

    // Python's json.dumps writes NaN and Infinity for a diverged loss; that is a value to report, not a log line.
    private static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private EventLineParser() {}

    /**
     * @return the event, or empty for an ordinary log line
     * @throws MalformedEventException for an {@code aim_event} line that breaks the protocol
     */
    public static Optional<TrainerEvent> parse(String line) throws MalformedEventException {
        String text = line.strip();
        if (!text.startsWith("{")) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            if (text.contains("\"aim_event\"")) {
                throw new MalformedEventException("not valid JSON: " + e.getOriginalMessage());
            }
            return Optional.empty();
        }
        if (!(node instanceof ObjectNode object) || !object.has("aim_event")) {
            return Optional.empty();
        }
        return Optional.of(event(object));
    }

    private static TrainerEvent event(ObjectNode o) throws MalformedEventException {
        TrainingEventKind kind = kind(o.get("aim_event"));
        Set<String> required = REQUIRED.get(kind);
        Set<String> optional = OPTIONAL.get(kind);
        for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!COMMON.contains(name) && !required.contains(name) && !optional.contains(name)) {
                throw new MalformedEventException(kind + " event has unknown field '" + name + "'");
            }
        }
        for (String name : COMMON) {
            if (o.path(name).isNull() || o.path(name).isMissingNode()) {
                throw new MalformedEventException(kind + " event lacks '" + name + "'");
            }
        }
        for (String name : required) {
            if (o.path(name).isNull() || o.path(name).isMissingNode()) {
                throw new MalformedEventException(kind + " event lacks '" + name + "'");
            }
        }
        String runId = text(o, "run_id");
        if (runId.isBlank()) {
            throw new MalformedEventException(kind + " event has an empty 'run_id'");
        }
        return new TrainerEvent(kind, runId, count(o, "step"), number(o, "epoch"), count(o, "emitted_at_ms"),
                optionalNumber(o, "loss"), optionalNumber(o, "eval_loss"), optionalNumber(o, "learning_rate"),
                optionalNumber(o, "grad_norm"), optionalNumber(o, "tokens_per_sec"),
                optionalCount(o, "gpu_memory_bytes"), optionalNumber(o, "eta_sec"), optionalCount(o, "total_steps"),
                optionalText(o, "checkpoint_path"), optionalText(o, "message"));
    }

    private static TrainingEventKind kind(JsonNode value) throws MalformedEventException {
        if (value.isTextual()) {
            for (TrainingEventKind k : TrainingEventKind.values()) {
                if (k.name().equals(value.asText())) {
                    return k;
                }
            }
        }
        throw new MalformedEventException("unknown aim_event " + value + "; expected STARTED, STEP, EVAL, CHECKPOINT, "
                + "COMPLETED or FAILED");
    }

    private static String text(ObjectNode o, String name) throws MalformedEventException {
        JsonNode v = o.get(name);
        if (!v.isTextual()) {
            throw new MalformedEventException("'" + name + "' must be a string, got " + v);
        }
        return v.asText();
    }

    private static String optionalText(ObjectNode o, String name) throws MalformedEventException {
        return present(o, name) ? text(o, name) : null;
    }

    private static double number(ObjectNode o, String name) throws MalformedEventException {
        JsonNode v = o.get(name);
        if (!v.isNumber()) {
            throw new MalformedEventException("'" + name + "' must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static Double optionalNumber(ObjectNode o, String name) throws MalformedEventException {
        return present(o, name) ? number(o, name) : null;
    }

    /** A whole number that is not negative: steps, byte counts, epoch milliseconds. */
    private static long count(ObjectNode o, String name) throws MalformedEventException {
        JsonNode v = o.get(name);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new MalformedEventException("'" + name + "' must be a whole number >= 0, got " + v);
        }
        return v.asLong();
    }

    private static Long optionalCount(ObjectNode o, String name) throws MalformedEventException {
        return present(o, name) ? count(o, name) : null;
    }

    private static boolean present(ObjectNode o, String name) {
        return o.has(name) && !o.get(name).isNull();
    }
}
