package dev.aimnext.operators.guardrails.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the guardrail training files: JSONL lines of exactly {@code {"text", "label", "source"}},
 * with the task's two labels. Anything else fails with the file and line, because a silently
 * skipped row would change the committed heads.
 */
public final class TrainingFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("text", "label", "source");

    private TrainingFiles() {}

    /** The task's files in {@code dir}, sorted by name so every run reads them in one order. */
    public static List<Path> of(Path dir, GuardrailTask task) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("training data folder not found: " + dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> out = files
                    .filter(p -> p.getFileName().toString().startsWith(task.filePrefix()))
                    .filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .toList();
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no " + task.filePrefix() + "*.jsonl files in " + dir);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Every row of one training file. */
    public static List<LabeledText> read(Path file, GuardrailTask task) {
        return read(file, task.positiveLabel(), Set.of(task.negativeLabel()));
    }

    /**
     * Rows of a labelled file: {@code positive} marks the positive rows, the labels in {@code
     * negatives} the negative ones; any other label is an error.
     */
    public static List<LabeledText> read(Path file, String positive, Set<String> negatives) {
        List<LabeledText> rows = new ArrayList<>();
        String name = file.getFileName().toString();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                rows.add(parse(line, file + ":" + number, name, positive, negatives));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return rows;
    }

    private static LabeledText parse(String line, String where, String name, String positive, Set<String> negatives) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": not a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "'; expected text, label, source");
            }
        }
        JsonNode text = node.get("text");
        JsonNode label = node.get("label");
        if (text == null || !text.isTextual() || text.asText().isEmpty()) {
            throw new IllegalArgumentException(where + ": 'text' must be a non-empty string");
        }
        if (label == null || !label.isTextual()) {
            throw new IllegalArgumentException(where + ": 'label' must be a string");
        }
        String l = label.asText();
        if (!l.equals(positive) && !negatives.contains(l)) {
            throw new IllegalArgumentException(where + ": label '" + l + "' is neither " + positive + " nor one of " + negatives);
        }
        return new LabeledText(text.asText(), l.equals(positive), name);
    }
}
