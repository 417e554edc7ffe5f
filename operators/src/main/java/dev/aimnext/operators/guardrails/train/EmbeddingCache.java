package dev.aimnext.operators.guardrails.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Pooled encoder vectors of whole data files, kept on disk. Encoding the training data is by far
 * the slowest part of training a head on two cores (tens of texts per second for long prompts), so
 * a file is encoded once per encoder and reused by every later run.
 *
 * <p>Texts are encoded in file order, in fixed chunks, so the quantized encoder sees the same
 * batches on every run: its {@code DynamicQuantizeLinear} scale depends on the batch, and the
 * committed heads must be reproducible bit for bit.
 */
public final class EmbeddingCache {

    /** Texts handed to the encoder per call; part of the cache key because batches change vectors. */
    public static final int CHUNK = 256;
    private static final int MAGIC = 0x41494d45;

    private final Path dir;
    private final String encoderKey;
    private final Function<List<String>, float[][]> encoder;
    private final PrintStream progress;

    /**
     * @param dir cache folder
     * @param encoderKey identifies the encoder and its settings (model hash, pooling, max length)
     * @param encoder pooled vectors of a list of texts, in order
     * @param progress where progress lines go
     */
    public EmbeddingCache(Path dir, String encoderKey, Function<List<String>, float[][]> encoder, PrintStream progress) {
        this.dir = dir.resolve(encoderKey);
        this.encoderKey = encoderKey;
        this.encoder = encoder;
        this.progress = progress;
    }

    /** Vectors of {@code rows}, which are all rows of {@code file}, in order. */
    public float[][] vectors(Path file, List<LabeledText> rows) {
        Path cached = dir.resolve(ContentHash.of(file) + "-" + CHUNK + ".emb");
        if (Files.isReadable(cached)) {
            float[][] v = read(cached);
            if (v.length == rows.size()) {
                return v;
            }
        }
        float[][] v = encode(file, rows);
        write(cached, v);
        return v;
    }

    private float[][] encode(Path file, List<LabeledText> rows) {
        float[][] out = new float[rows.size()][];
        long started = System.nanoTime();
        long lastReport = started;
        for (int from = 0; from < rows.size(); from += CHUNK) {
            int to = Math.min(rows.size(), from + CHUNK);
            List<String> texts = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                texts.add(rows.get(i).text());
            }
            float[][] chunk = encoder.apply(texts);
            System.arraycopy(chunk, 0, out, from, chunk.length);
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L || to == rows.size()) {
                double seconds = (now - started) / 1e9;
                progress.printf("  encoding %s with %s: %d/%d texts, %.0f texts/s%n",
                        file.getFileName(), encoderKey, to, rows.size(), to / Math.max(seconds, 1e-9));
                lastReport = now;
            }
        }
        return out;
    }

    private static float[][] read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                return new float[0][];
            }
            int n = in.readInt();
            int dim = in.readInt();
            float[][] v = new float[n][dim];
            for (float[] row : v) {
                for (int d = 0; d < dim; d++) {
                    row[d] = in.readFloat();
                }
            }
            return v;
        } catch (IOException e) {
            // A damaged cache entry is re-encoded, not fatal.
            return new float[0][];
        }
    }

    private static void write(Path file, float[][] v) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "emb", ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(MAGIC);
                out.writeInt(v.length);
                out.writeInt(v.length == 0 ? 0 : v[0].length);
                for (float[] row : v) {
                    for (float x : row) {
                        out.writeFloat(x);
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write embedding cache " + file, e);
        }
    }
}
