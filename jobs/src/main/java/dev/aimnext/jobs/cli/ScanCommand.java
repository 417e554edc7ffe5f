package dev.aimnext.jobs.cli;

import dev.aimnext.operators.guardrails.pii.PiiGuardrail;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;
import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.ChatMessage;
import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailFinding;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code aim scan --input FILE.jsonl [--policy FILE] [--output FILE]}: the job's guardrails over a
 * file, offline. One output line per input line, in order:
 * {@code {"line", "action", "text", "findings":[{guardrail, type, score, start, end, location}], ...}}.
 * A bad line yields {@code "action":"error"} with a reason and the run goes on.
 */
final class ScanCommand {

    private final CliArgs args;
    private final PrintStream err;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ChatRequestJsonDecoder requests = new ChatRequestJsonDecoder();

    ScanCommand(CliArgs args, PrintStream err) {
        this.args = args;
        this.err = err;
    }

    int run() throws IOException {
        String input = args.optional("input").orElseThrow(
                () -> new IllegalArgumentException("scan needs --input FILE.jsonl (or --input - for stdin)"));
        PiiPolicy policy = args.optional("policy").map(p -> PiiPolicyParser.parseFile(Path.of(p)))
                .orElseGet(PiiPolicyParser::defaultPolicy);
        String output = args.value("output", "-");
        args.requireConsumed();
        if (!input.equals("-") && !Files.isReadable(Path.of(input))) {
            throw new IllegalArgumentException("cannot read input file " + input);
        }
        PiiGuardrail guardrail = new PiiGuardrail(policy, System::getenv);
        guardrail.checkSecretsAvailable("default");

        Map<GuardrailAction, Integer> counts = new EnumMap<>(GuardrailAction.class);
        int errors = 0;
        int lineNumber = 0;
        try (BufferedReader reader = reader(input); Writer writer = writer(output)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                ObjectNode result = scanLine(guardrail, policy, line, lineNumber);
                String action = result.path("action").asText();
                if (action.equals("error")) {
                    errors++;
                } else {
                    counts.merge(GuardrailAction.valueOf(action.toUpperCase()), 1, Integer::sum);
                }
                writer.write(mapper.writeValueAsString(result));
                writer.write('\n');
            }
        }
        err.printf("aim scan: %d lines: allow %d, redact %d, block %d, error %d (policy %s)%n", lineNumber,
                counts.getOrDefault(GuardrailAction.ALLOW, 0), counts.getOrDefault(GuardrailAction.REDACT, 0),
                counts.getOrDefault(GuardrailAction.BLOCK, 0), errors, policy.version());
        return 0;
    }

    ObjectNode scanLine(PiiGuardrail guardrail, PiiPolicy policy, String line, int lineNumber) {
        ObjectNode result = mapper.createObjectNode();
        result.put("line", lineNumber);
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            return error(result, "invalid JSON at column " + column);
        }
        if (node == null || !node.isObject()) {
            return error(result, line.isBlank() ? "empty line" : "line is not a JSON object");
        }
        result.put("policy_version", policy.version());
        if (node.has("text")) {
            if (!node.get("text").isTextual()) {
                return error(result, "'text' must be a string");
            }
            PiiGuardrail.TextOutcome outcome =
                    guardrail.checkText(node.get("text").asText(), node.path("tenant").asText("default"));
            result.put("action", outcome.action().name().toLowerCase());
            result.put("text", outcome.action() == GuardrailAction.BLOCK ? null : outcome.text());
            findings(result, outcome.findings());
            return result;
        }
        if (!node.has("messages") && !node.has("prompt")) {
            return error(result, "line has neither 'text' nor 'messages' or 'prompt'");
        }
        try {
            InferenceRequest request = InferenceRequestDecoder.validate(
                    requests.decode(line, RequestContext.offline("line-" + lineNumber)));
            PiiGuardrail.RequestOutcome outcome = guardrail.check(request);
            result.put("id", request.getRequestId());
            result.put("action", outcome.action().name().toLowerCase());
            InferenceRequest forwarded = outcome.forwarded();
            if (forwarded == null) {
                result.putNull("text");
            } else {
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
            findings(result, outcome.findings());
            return result;
        } catch (EventDecodingException e) {
            return error(result, e.getMessage());
        }
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

    private static ObjectNode error(ObjectNode result, String reason) {
        result.put("action", "error");
        result.put("reason", reason);
        return result;
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
