package dev.aimnext.operators.guardrails.engine;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The word-level half of a head: logistic regression over hashed word unigrams and bigrams of the
 * whole text. A frozen sentence encoder blurs the exact phrasing that gives many injections away
 * ("ignore previous instructions", "developer mode") and the slurs that give toxic text away; a
 * bag of words keeps it. The head's score is {@code mix * p_words + (1 - mix) * p_encoder}.
 *
 * <p>Features: the text is lower-cased and split at every character that is not a letter or digit;
 * each unigram and bigram is hashed ({@link String#hashCode}, which the Java spec fixes, then a
 * murmur3 finaliser) into {@code 2^bits} buckets; a text's features are the distinct buckets, each
 * with value {@code 1/sqrt(count)}. In the head file the weights are base64 of little-endian
 * float32, which is compact and exact.
 *
 * @param bits log2 of the number of buckets
 * @param mix the words' share of the head's score, in [0, 1]
 * @param bias the word model's bias
 * @param weights one weight per bucket
 */
public record LexicalModel(int bits, double mix, float bias, float[] weights) {

    /** The only feature scheme so far; named in the file so another can be added later. */
    public static final String FEATURES = "word-1-2-grams-murmur3";

    public LexicalModel {
        if (bits < 8 || bits > 24 || weights.length != 1 << bits) {
            throw new IllegalArgumentException("lexical model needs 2^bits weights (bits 8..24), got bits " + bits
                    + " and " + weights.length + " weights");
        }
        if (!(mix >= 0 && mix <= 1)) {
            throw new IllegalArgumentException("lexical mix must be in [0, 1], got " + mix);
        }
    }

    /** Distinct feature buckets of {@code text}, ascending. */
    public static int[] features(String text, int bits) {
        String s = text.toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= s.length(); i++) {
            boolean word = i < s.length() && Character.isLetterOrDigit(s.charAt(i));
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                words.add(s.substring(start, i));
                start = -1;
            }
        }
        int mask = (1 << bits) - 1;
        int[] buckets = new int[words.size() * 2];
        int n = 0;
        for (int i = 0; i < words.size(); i++) {
            buckets[n++] = hash("u:" + words.get(i)) & mask;
            if (i + 1 < words.size()) {
                buckets[n++] = hash("b:" + words.get(i) + ' ' + words.get(i + 1)) & mask;
            }
        }
        return Arrays.stream(buckets, 0, n).sorted().distinct().toArray();
    }

    /** Each feature's value: texts of any length weigh the same. */
    public static double featureValue(int[] features) {
        return 1 / Math.sqrt(Math.max(1, features.length));
    }

    private static int hash(String s) {
        int x = s.hashCode();
        x ^= x >>> 16;
        x *= 0x85ebca6b;
        x ^= x >>> 13;
        x *= 0xc2b2ae35;
        x ^= x >>> 16;
        return x;
    }

    /** The word model's probability for {@code text}. */
    public double probability(String text) {
        int[] f = features(text, bits);
        double value = featureValue(f);
        double z = bias;
        for (int k : f) {
            z += weights[k] * value;
        }
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** The head's final score from the encoder's probability. */
    public double combine(String text, double encoderProbability) {
        return mix * probability(text) + (1 - mix) * encoderProbability;
    }

    /** The weights as they are stored in the head file. */
    public String encodedWeights() {
        ByteBuffer buf = ByteBuffer.allocate(4 * weights.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float w : weights) {
            buf.putFloat(w);
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }

    /** Reads the {@code lexical} block of a head file. */
    static LexicalModel load(JsonNode node, String where) {
        String features = node.path("features").asText();
        if (!FEATURES.equals(features)) {
            throw new ModelPackException(where + ": lexical.features '" + features + "' is not supported; expected " + FEATURES);
        }
        int bits = node.path("bits").asInt(-1);
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(node.path("weights_f32le").asText());
        } catch (IllegalArgumentException e) {
            throw new ModelPackException(where + ": lexical.weights_f32le is not base64", e);
        }
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] weights = new float[raw.length / 4];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = buf.getFloat();
        }
        try {
            return new LexicalModel(bits, node.path("mix").asDouble(-1), (float) node.path("bias").asDouble(), weights);
        } catch (IllegalArgumentException e) {
            throw new ModelPackException(where + ": " + e.getMessage(), e);
        }
    }
}
