package dev.aimnext.operators.guardrails.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddingCacheTest {

    @TempDir
    Path dir;

    @Test
    void encodesInFixedChunksOnceAndThenReadsFromDisk() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            lines.append("{\"text\": \"text ").append(i).append("\", \"label\": \"ok\", \"source\": \"s\"}\n");
        }
        Path file = Files.writeString(dir.resolve("toxicity_x.jsonl"), lines);
        List<LabeledText> rows = TrainingFiles.read(file, GuardrailTask.TOXICITY);
        List<Integer> chunkSizes = new ArrayList<>();
        EmbeddingCache cache = new EmbeddingCache(dir.resolve("cache"), "enc-1", texts -> {
            chunkSizes.add(texts.size());
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = new float[] {Float.parseFloat(texts.get(i).substring(5)), 1f};
            }
            return out;
        }, new PrintStream(new ByteArrayOutputStream()));

        float[][] first = cache.vectors(file, rows);
        float[][] second = cache.vectors(file, rows);

        assertThat(chunkSizes).containsExactly(EmbeddingCache.CHUNK, EmbeddingCache.CHUNK, 600 - 2 * EmbeddingCache.CHUNK);
        assertThat(first[599]).containsExactly(599f, 1f);
        assertThat(second).isDeepEqualTo(first);
        // Another encoder key is another cache entry: it encodes again.
        new EmbeddingCache(dir.resolve("cache"), "enc-2", texts -> {
            chunkSizes.add(-1);
            return new float[texts.size()][2];
        }, new PrintStream(new ByteArrayOutputStream())).vectors(file, rows);
        assertThat(chunkSizes).contains(-1);
    }
}
