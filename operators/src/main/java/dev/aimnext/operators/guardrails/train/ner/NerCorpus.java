package dev.aimnext.operators.guardrails.train.ner;

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
import java.util.List;

/**
 * Reads span-annotated PII files: one JSON object per line,
 * {@code {"text": ..., "spans": [{"start", "end", "type"}], "source": ...}}, offsets end-exclusive
 * UTF-16 indices (the format of {@code datasets/pii/*.jsonl}). A malformed line fails with the
 * file and line number; the text itself is never put into an error.
 */
public final class NerCorpus {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NerCorpus() {}

    public static List<NerExample> read(Path file) {
        List<NerExample> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                out.add(parse(line, file + ":" + number));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no examples");
        }
        return out;
    }

    /** {@link #read} for a span-annotated file, {@link #readNegatives} for one whose first row has no {@code spans}. */
    public static List<NerExample> readEitherFormat(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            while (first != null && first.isBlank()) {
                first = in.readLine();
            }
            boolean annotated;
            try {
                annotated = first != null && MAPPER.readTree(first).has("spans");
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + ": first row is not a valid JSON object");
            }
            return annotated ? read(file) : readNegatives(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Reads texts known to hold no person, place, organisation or address, e.g. short support
     * queries ({@code {"text": ...}} per line; other fields are ignored), as examples with no spans:
     * negatives that teach the head what ordinary prompts look like.
     */
    public static List<NerExample> readNegatives(Path file) {
        List<NerExample> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row;
                try {
                    row = MAPPER.readTree(line);
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + ":" + number + ": not a valid JSON object");
                }
                if (row == null || !row.path("text").isTextual()) {
                    throw new IllegalArgumentException(file + ":" + number + ": needs a string field text");
                }
                out.add(new NerExample(row.get("text").asText(), List.of()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    static NerExample parse(String line, String where) {
        JsonNode row;
        try {
            row = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": not a valid JSON object");
        }
        if (row == null || !row.path("text").isTextual() || !row.path("spans").isArray()) {
            throw new IllegalArgumentException(where + ": needs a string field text and an array field spans");
        }
        String text = row.get("text").asText();
        List<NerExample.Span> spans = new ArrayList<>();
        int previousEnd = 0;
        for (JsonNode s : row.get("spans")) {
            if (!s.path("start").isInt() || !s.path("end").isInt() || !s.path("type").isTextual()) {
                throw new IllegalArgumentException(where + ": every span needs integer start, end and a string type");
            }
            int start = s.get("start").asInt();
            int end = s.get("end").asInt();
            if (start < previousEnd || end <= start || end > text.length()) {
                throw new IllegalArgumentException(where + ": span [" + start + ", " + end + ") is out of order, empty, "
                        + "overlapping or past the text's " + text.length() + " characters");
            }
            spans.add(new NerExample.Span(start, end, s.get("type").asText()));
            previousEnd = end;
        }
        return new NerExample(text, spans);
    }
}
