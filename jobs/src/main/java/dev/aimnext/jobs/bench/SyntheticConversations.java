package dev.aimnext.jobs.bench;

import dev.aimnext.jobs.demo.SyntheticPii;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of OpenAI-format chat rows for the prepare benchmark: one to three exchanges
 * of prose sentences over a 2,000-word vocabulary (about 300 tokens per row), with the mix that
 * makes every stage work: 3% rows carrying an e-mail or phone number, 2% exact repeats of an earlier
 * row, 3% near-duplicates (an earlier row with one word changed) and 1% invalid rows.
 */
public final class SyntheticConversations {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ren", "sa", "tor", "vel", "zu", "an", "bri", "co",
            "dra", "el", "fen", "gu", "ha", "is", "jo", "ku", "lin"};

    private final Random random;
    private final SyntheticPii pii;
    private final String[] words;

    public SyntheticConversations(long seed) {
        this.random = new Random(seed);
        this.pii = new SyntheticPii(new Random(seed + 1));
        this.words = new String[2000];
        for (int i = 0; i < words.length; i++) {
            int syllables = 1 + random.nextInt(3);
            StringBuilder w = new StringBuilder();
            for (int s = 0; s < syllables; s++) {
                w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            words[i] = w.toString();
        }
    }

    /** Writes {@code rows} JSONL rows to {@code file}. */
    public void write(Path file, int rows) throws IOException {
        List<String> earlier = new ArrayList<>();
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < rows; i++) {
                out.write(row(earlier));
                out.write('\n');
            }
        }
    }

    private String row(List<String> earlier) {
        double kind = random.nextDouble();
        if (kind < 0.01) {
            return "{\"messages\": [{\"role\": \"user\", \"content\": \"" + sentence(8) + "\"}]}";
        }
        if (kind < 0.03 && !earlier.isEmpty()) {
            return earlier.get(random.nextInt(earlier.size()));
        }
        if (kind < 0.06 && !earlier.isEmpty()) {
            String base = earlier.get(random.nextInt(earlier.size()));
            int space = base.indexOf(' ', base.length() / 2);
            return space < 0 ? base : base.substring(0, space + 1) + words[random.nextInt(words.length)] + "x"
                    + base.substring(space);
        }
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode messages = root.putArray("messages");
        if (random.nextBoolean()) {
            messages.addObject().put("role", "system").put("content", sentence(12));
        }
        int exchanges = 1 + random.nextInt(3);
        for (int e = 0; e < exchanges; e++) {
            String question = paragraph(1 + random.nextInt(2));
            if (random.nextDouble() < 0.03) {
                question += " Reach me at " + (random.nextBoolean() ? pii.email() : pii.phone()) + ".";
            }
            messages.addObject().put("role", "user").put("content", question);
            messages.addObject().put("role", "assistant").put("content", paragraph(2 + random.nextInt(4)));
        }
        String line = root.toString();
        if (earlier.size() < 10_000) {
            earlier.add(line);
        } else {
            earlier.set(random.nextInt(earlier.size()), line);
        }
        return line;
    }

    private String paragraph(int sentences) {
        StringBuilder p = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            if (s > 0) {
                p.append(' ');
            }
            p.append(sentence(8 + random.nextInt(14)));
        }
        return p.toString();
    }

    private String sentence(int length) {
        StringBuilder s = new StringBuilder();
        for (int w = 0; w < length; w++) {
            String word = words[(int) Math.min(words.length - 1, Math.abs(random.nextGaussian()) * words.length / 3)];
            if (w == 0) {
                s.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            } else {
                s.append(' ').append(word);
            }
        }
        return s.append('.').toString();
    }
}
