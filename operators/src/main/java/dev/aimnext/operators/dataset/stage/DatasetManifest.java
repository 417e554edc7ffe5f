package dev.aimnext.operators.dataset.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns the merged {@link DatasetStats} into {@code manifest.json}. Invariant:
 * {@code rows_in = kept + rejected + exact duplicates + near duplicates}.
 */
public final class DatasetManifest {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DatasetManifest() {}

    /** @throws NoValidRowsException when no row survived, naming the most frequent reasons */
    public static String toJson(DatasetStats s, PrepSettings settings) {
        if (s.keptRows() == 0) {
            throw new NoValidRowsException("no valid rows remain out of " + s.rowsIn + " read; top reasons: "
                    + topReasons(s, 3));
        }
        ObjectNode root = MAPPER.createObjectNode();
        root.put("rows_in", s.rowsIn);
        root.put("kept", s.keptRows());
        root.put("train", s.trainRows);
        root.put("eval", s.evalRows);
        root.put("rejected", s.rejectedRows);
        ObjectNode reasons = root.putObject("rejected_by_reason");
        new TreeMap<>(s.rejectedByReason).forEach(reasons::put);
        ObjectNode dedup = root.putObject("dedup");
        dedup.put("exact_duplicates", s.exactDuplicates);
        dedup.put("near_duplicates", s.nearDuplicates);
        if (settings.nearDupEnabled()) {
            dedup.put("near_dup_threshold", settings.nearDupThreshold());
        } else {
            dedup.putNull("near_dup_threshold");
        }
        ObjectNode pii = root.putObject("pii");
        pii.put("scrubbed", settings.piiScrub());
        pii.put("policy", settings.piiScrub() ? settings.pii().describe() : "off");
        ObjectNode found = pii.putObject("found_by_type");
        new TreeMap<>(s.piiByType).forEach(found::put);
        List<Integer> tokens = new ArrayList<>(s.keptTokens);
        tokens.sort(null);
        ObjectNode t = root.putObject("tokens");
        TokenizationSettings tok = settings.tokenization();
        if (tok.tokenizerPath() != null) {
            t.put("counter", "tokenizer.json");
            t.put("tokenizer", tok.tokenizerPath());
            t.put("estimated", false);
        } else {
            t.put("counter", "char_estimate");
            t.put("estimated", true);
            t.put("note", "about 4 characters per token; set a tokenizer.json for exact counts");
        }
        t.put("chat_template", tok.chatTemplate() == null ? null : tok.chatTemplate().name());
        t.put("counts", tok.chatTemplate() == null ? "message text" : "rendered conversation");
        t.put("loss_on", tok.lossMask().name().toLowerCase(java.util.Locale.ROOT));
        t.put("min", tokens.get(0));
        t.put("p10", percentile(tokens, 0.10));
        t.put("p50", percentile(tokens, 0.50));
        t.put("p90", percentile(tokens, 0.90));
        t.put("max", tokens.get(tokens.size() - 1));
        t.put("total", tokens.stream().mapToLong(Integer::longValue).sum());
        root.put("estimated_training_tokens_per_epoch", s.trainTokens);
        root.put("loss_tokens_per_epoch", s.trainLossTokens);
        if (tok.producesTokenIds()) {
            ObjectNode packing = root.putObject("sequences");
            packing.put("max_seq_len", tok.packMaxSeqLen() == 0 ? null : tok.packMaxSeqLen());
            packing.put("packed", tok.packMaxSeqLen() > 0);
            packing.put("count", s.sequences);
            packing.put("tokens", s.sequenceTokens);
            if (tok.packMaxSeqLen() > 0 && s.sequences > 0) {
                // share of the sequence slots holding real tokens: what packing saves over padding
                packing.put("fill_ratio", Math.round(1e4 * s.sequenceTokens / ((double) s.sequences * tok.packMaxSeqLen())) / 1e4);
            }
        }
        root.put("dataset_hash", "sha256:" + datasetHash(s.keptKeys));
        ObjectNode set = root.putObject("settings");
        set.put("format", settings.formatOverride() == null ? "auto" : settings.formatOverride().name().toLowerCase());
        set.put("eval_fraction", settings.evalFraction());
        set.put("max_tokens", settings.maxTokens());
        set.put("on_overflow", settings.overLength().name().toLowerCase());
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nearest-rank percentile of a sorted, non-empty list. */
    static int percentile(List<Integer> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** SHA-256 over the sorted exact-dedup keys of the kept rows, one per line. */
    public static String datasetHash(List<String> keys) {
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(null);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String key : sorted) {
                digest.update(key.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
    }

    static String topReasons(DatasetStats s, int n) {
        if (s.rejectedByReason.isEmpty()) {
            return s.rowsIn == 0 ? "no input rows" : "every row was a duplicate";
        }
        return s.rejectedByReason.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
    }
}
