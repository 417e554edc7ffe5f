package dev.aimnext.operators.dataset.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import dev.aimnext.operators.dataset.template.CharSpan;
import dev.aimnext.operators.dataset.validate.TokenCounter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Counts tokens with a model's own tokenizer.json through DJL's binding of HuggingFace
 * tokenizers (a native Rust library).
 *
 * <p><b>Special tokens.</b> Text is encoded with {@code add_special_tokens=false}, truncation and
 * padding off. The counter is meant for text rendered by a chat template, which already writes
 * BOS/EOS and the turn markers itself; letting the tokenizer add its own would count BOS twice
 * (Llama) or add {@code [CLS]}/{@code [SEP]} (BERT-style). Special tokens written in the text
 * ({@code <|im_start|>}, {@code <|eot_id|>}, ...) still count as one token each, since the
 * tokenizer matches added tokens in the input; this is what transformers does when it tokenizes
 * an {@code apply_chat_template} result for training.
 *
 * <p><b>Threads and lifetime.</b> {@link #count} may be called from several threads at once: the
 * native tokenizer is immutable after loading and DJL keeps no per-call state. {@link #close}
 * frees the native handle; it waits for running calls and later calls fail with
 * {@link IllegalStateException}. In Flink, create one per subtask in {@code open()} and close it
 * in {@code close()}; the counter is not serializable.
 */
public final class HfTokenizerCounter implements TokenCounter, AutoCloseable {

    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "false",
            "truncation", "false",
            "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private HfTokenizerCounter(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Loads a tokenizer.json file, or the tokenizer.json inside a model directory. */
    public static HfTokenizerCounter load(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new IOException("no tokenizer.json at " + path);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        }
    }

    /** Loads a tokenizer.json from a stream; the stream is read fully but not closed. */
    public static HfTokenizerCounter load(InputStream tokenizerJson) throws IOException {
        return new HfTokenizerCounter(HuggingFaceTokenizer.newInstance(tokenizerJson, OPTIONS));
    }

    @Override
    public int count(String text) {
        return ids(text).length;
    }

    /** Token ids of {@code text}, encoded as {@link #count} counts them. */
    public long[] ids(String text) {
        return encode(text, false).ids;
    }

    /**
     * Per-token mask for assistant-only loss: a token is trained on when its character span
     * overlaps one of {@code spans}. Tokens without offsets are left out of the loss.
     */
    public boolean[] tokenMask(String text, List<CharSpan> spans) {
        return tokenize(text, spans).mask();
    }

    /** Token ids of {@code text} and, per token, whether it overlaps one of {@code spans}; one encoding pass. */
    public TokenizedText tokenize(String text, List<CharSpan> spans) {
        NativeEncoding encoding = encode(text, true);
        long[] ids = encoding.ids;
        ai.djl.huggingface.tokenizers.jni.CharSpan[] offsets = encoding.offsets;
        int[] intIds = new int[ids.length];
        boolean[] mask = new boolean[ids.length];
        for (int t = 0; t < ids.length; t++) {
            intIds[t] = Math.toIntExact(ids[t]);
            var offset = offsets[t];
            if (offset == null) {
                continue;
            }
            for (CharSpan span : spans) {
                if (offset.getStart() < span.end() && offset.getEnd() > span.start()) {
                    mask[t] = true;
                    break;
                }
            }
        }
        return new TokenizedText(intIds, mask);
    }

    /** Token ids and the per-token loss mask of one text. */
    public record TokenizedText(int[] ids, boolean[] mask) {}

    private record NativeEncoding(long[] ids, ai.djl.huggingface.tokenizers.jni.CharSpan[] offsets) {}

    /**
     * Encodes through DJL's JNI binding directly and fetches only what is used. DJL's
     * {@code encode} builds a full {@code Encoding} (token strings, type ids, word ids, masks,
     * offsets: eight JNI calls and a Java string per token), which cost more than the
     * tokenization itself.
     */
    private NativeEncoding encode(String text, boolean withOffsets) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("tokenizer is closed");
            }
            long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
            try {
                return new NativeEncoding(TokenizersLibrary.LIB.getTokenIds(encoding),
                        withOffsets ? TokenizersLibrary.LIB.getTokenCharSpans(encoding) : null);
            } finally {
                TokenizersLibrary.LIB.deleteEncoding(encoding);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                tokenizer.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
