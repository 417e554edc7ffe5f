package dev.aimnext.operators.guardrails.engine;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import dev.aimnext.operators.guardrails.engine.token.AlignedWindow;
import dev.aimnext.operators.guardrails.engine.token.TokenOffsets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits texts into model windows with a HuggingFace {@code tokenizer.json}. A text that fits is
 * one window; a longer one becomes overlapping windows of at most {@code maxLength} tokens, each
 * with its own special tokens, consecutive windows sharing {@code stride} tokens, so a phrase cut
 * at one window's edge is whole in the next. Nothing is padded here: {@link PaddedBatch} pads per
 * batch. Thread-safe: the native tokenizer encodes concurrently.
 */
public final class WindowedTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;

    private WindowedTokenizer(HuggingFaceTokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    /** Loads {@code tokenizer.json}; a missing or unreadable file fails with its name. */
    public static WindowedTokenizer load(Path tokenizerJson, int maxLength, int stride) {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return load(in, maxLength, stride);
        } catch (IOException | RuntimeException e) {
            throw new ModelPackException(tokenizerJson + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    /** Loads a {@code tokenizer.json} from a stream, which is read but not closed. */
    public static WindowedTokenizer load(InputStream tokenizerJson, int maxLength, int stride) throws IOException {
        if (stride < 0 || stride >= maxLength / 2) {
            throw new IllegalArgumentException("stride must be in [0, maxLength/2), got " + stride);
        }
        // The options override whatever padding/truncation the tokenizer.json carries.
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "true",
                "maxLength", Integer.toString(maxLength),
                "stride", Integer.toString(stride),
                "padding", "false");
        return new WindowedTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, options), maxLength);
    }

    /** Tokens per window, special tokens included. */
    public int maxLength() {
        return maxLength;
    }

    /** Windows of every text, in text order; each text gives at least one window. */
    public List<TokenWindow> windows(List<String> texts) {
        List<TokenWindow> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            Encoding first = tokenizer.encode(texts.get(i), true, true);
            out.add(new TokenWindow(i, first.getIds(), first.getTypeIds()));
            Encoding[] overflow = first.getOverflowing();
            if (overflow != null) {
                for (Encoding e : overflow) {
                    out.add(new TokenWindow(i, e.getIds(), e.getTypeIds()));
                }
            }
        }
        return out;
    }

    /**
     * The same windows as {@link #windows}, each with where its tokens lie in the text (for token
     * classification, whose entities need character offsets).
     */
    public List<AlignedWindow> alignedWindows(List<String> texts) {
        List<AlignedWindow> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            Encoding first = tokenizer.encode(text, true, true);
            out.add(new AlignedWindow(new TokenWindow(i, first.getIds(), first.getTypeIds()), TokenOffsets.of(first, text)));
            Encoding[] overflow = first.getOverflowing();
            if (overflow != null) {
                for (Encoding e : overflow) {
                    out.add(new AlignedWindow(new TokenWindow(i, e.getIds(), e.getTypeIds()), TokenOffsets.of(e, text)));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
