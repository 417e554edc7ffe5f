package dev.aimnext.operators.guardrails.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model pack: a folder laid out like a HuggingFace ONNX export ({@code model.onnx},
 * {@code tokenizer.json}, {@code config.json}) plus an optional {@code aim-pack.json} with the
 * task, window length, stride, pooling, head files, labels and thresholds. Without
 * {@code aim-pack.json} the folder is read as an {@code optimum-cli export onnx} sequence
 * classifier, so such exports work unchanged.
 *
 * <p>{@link #load} checks every file it can without ORT and names the file that is missing or
 * broken; {@link InferenceEngine} then opens {@code model.onnx} itself.
 *
 * @param dir the pack folder
 * @param task what the graph computes
 * @param maxLength tokens per model window, special tokens included
 * @param stride tokens shared by consecutive windows of a long text
 * @param pooling how encoder states are pooled ({@link PackTask#ENCODER_HEADS} only)
 * @param labels id2label in id order (sequence and token classification)
 * @param activation softmax or sigmoid, from config.json's problem_type
 * @param heads the heads of an encoder pack, in aim-pack.json order
 * @param thresholds default thresholds per label or head
 * @param version pack version reported with verdicts
 * @param padTokenId config.json's pad_token_id; RoBERTa-style graphs derive positions from it
 */
public record ModelPack(
        Path dir,
        PackTask task,
        int maxLength,
        int stride,
        Pooling pooling,
        List<String> labels,
        ScoreActivation activation,
        List<LinearHead> heads,
        Map<String, Double> thresholds,
        String version,
        long padTokenId) {

    public static final String MODEL_FILE = "model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String CONFIG_FILE = "config.json";
    public static final String MANIFEST_FILE = "aim-pack.json";
    /** HF image processor config; image-classification packs carry it in place of tokenizer.json. */
    public static final String PREPROCESSOR_FILE = "preprocessor_config.json";

    /** BERT-family position tables stop at 512; larger windows would index past them. */
    private static final int DEFAULT_MAX_LENGTH = 512;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Path of {@code model.onnx}. */
    public Path modelFile() {
        return dir.resolve(MODEL_FILE);
    }

    /** Path of {@code tokenizer.json}. */
    public Path tokenizerFile() {
        return dir.resolve(TOKENIZER_FILE);
    }

    /** Reads and checks a pack folder. */
    public static ModelPack load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelPackException("model pack " + dir + " is not a directory");
        }
        requireFile(dir.resolve(MODEL_FILE));
        Path configFile = dir.resolve(CONFIG_FILE);
        requireFile(configFile);
        JsonNode config = readJson(configFile);
        Path manifestFile = dir.resolve(MANIFEST_FILE);
        JsonNode manifest = Files.exists(manifestFile) ? readJson(manifestFile) : MAPPER.createObjectNode();
        String where = manifestFile.toString();

        PackTask task = PackTask.parse(manifest.path("task").asText(defaultTask(dir, config)), where);
        requireFile(dir.resolve(task.readsText() ? TOKENIZER_FILE : PREPROCESSOR_FILE));
        int modelMax = config.path("max_position_embeddings").asInt(DEFAULT_MAX_LENGTH);
        int maxLength = manifest.path("max_length").asInt(Math.min(modelMax, DEFAULT_MAX_LENGTH));
        int stride = manifest.path("stride").asInt(maxLength / 4);
        if (maxLength < 8 || stride < 0 || stride >= maxLength / 2) {
            throw new ModelPackException(where + ": max_length must be >= 8 and stride in [0, max_length/2), got "
                    + maxLength + " and " + stride);
        }
        Pooling pooling = Pooling.parse(manifest.path("pooling").asText("mean"), where);
        List<String> labels = labels(config, manifest, configFile);
        if (task != PackTask.ENCODER_HEADS && labels.isEmpty()) {
            throw new ModelPackException(configFile + ": id2label is missing or empty");
        }
        ScoreActivation activation = ScoreActivation.forProblemType(config.path("problem_type").asText(null));

        List<LinearHead> heads = new ArrayList<>();
        for (JsonNode h : manifest.path("heads")) {
            Path headFile = dir.resolve(h.asText()).normalize();
            if (!headFile.startsWith(dir.normalize())) {
                throw new ModelPackException(where + ": head file " + h.asText() + " lies outside the pack");
            }
            requireFile(headFile);
            heads.add(LinearHead.load(headFile));
        }
        if (task == PackTask.ENCODER_HEADS && heads.isEmpty()) {
            throw new ModelPackException(where + ": task encoder_heads needs at least one file under heads");
        }
        Map<String, Double> thresholds = new LinkedHashMap<>();
        heads.forEach(h -> thresholds.put(h.name(), h.threshold()));
        Iterator<Map.Entry<String, JsonNode>> it = manifest.path("thresholds").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            thresholds.put(e.getKey(), e.getValue().asDouble());
        }
        String version = manifest.path("version").asText(dir.getFileName().toString());
        return new ModelPack(dir, task, maxLength, stride, pooling, List.copyOf(labels), activation,
                List.copyOf(heads), Map.copyOf(thresholds), version, config.path("pad_token_id").asLong(0));
    }

    private static List<String> labels(JsonNode config, JsonNode manifest, Path configFile) {
        List<String> fromManifest = new ArrayList<>();
        manifest.path("labels").forEach(l -> fromManifest.add(l.asText()));
        if (!fromManifest.isEmpty()) {
            return fromManifest;
        }
        JsonNode id2label = config.path("id2label");
        if (!id2label.isObject()) {
            return List.of();
        }
        TreeMap<Integer, String> byId = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = id2label.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                byId.put(Integer.parseInt(e.getKey()), e.getValue().asText());
            } catch (NumberFormatException ex) {
                throw new ModelPackException(configFile + ": id2label key '" + e.getKey() + "' is not an integer");
            }
        }
        if (!byId.isEmpty() && (byId.firstKey() != 0 || byId.lastKey() != byId.size() - 1)) {
            throw new ModelPackException(configFile + ": id2label ids must run 0.." + (byId.size() - 1));
        }
        return new ArrayList<>(byId.values());
    }

    /**
     * The task when aim-pack.json names none: an optimum image-classification export carries an HF
     * image processor config (image_mean, image_processor_type), a text export does not.
     */
    private static String defaultTask(Path dir, JsonNode config) {
        // An optimum token-classification export keeps the model's config.json, whose architectures
        // name it (BertForTokenClassification), so such a folder needs no aim-pack.json either.
        for (JsonNode architecture : config.path("architectures")) {
            if (architecture.asText().endsWith("ForTokenClassification")) {
                return "token_classification";
            }
        }
        Path preprocessor = dir.resolve(PREPROCESSOR_FILE);
        if (Files.isRegularFile(preprocessor)) {
            JsonNode p = readJson(preprocessor);
            if (p.has("image_mean") || p.has("image_processor_type")) {
                return "image_classification";
            }
        }
        return "sequence_classification";
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelPackException("model pack file missing: " + file);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode node = MAPPER.readTree(Files.readAllBytes(file));
            if (node == null || !node.isObject()) {
                throw new ModelPackException(file + ": not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ModelPackException(file + ": cannot parse JSON: " + e.getMessage(), e);
        }
    }
}
