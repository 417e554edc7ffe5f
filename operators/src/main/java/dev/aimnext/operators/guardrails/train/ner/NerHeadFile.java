package dev.aimnext.operators.guardrails.train.ner;

import dev.aimnext.operators.guardrails.engine.token.TokenFeatures;

import java.util.List;

/**
 * Writes a trained NER head in the token-head file format ({@code labels}, {@code activation},
 * {@code features}, {@code bias}, {@code weights}) plus a {@code trained} block saying how it was
 * made. Built by hand with {@link Float#toString} for every number, so equal weights always give
 * equal bytes and a same-seed retrain can be compared with the committed file.
 */
public final class NerHeadFile {

    private NerHeadFile() {}

    /**
     * @param dataNames the training files' names (not their paths, which differ between machines):
     *     the annotated file first, then the entity-free negatives
     */
    public static String render(NerHeadTrainer.Result result, List<String> dataNames, long seed) {
        StringBuilder sb = new StringBuilder(300_000);
        sb.append("{\n  \"labels\": [");
        appendStrings(sb, result.labels());
        sb.append("],\n  \"activation\": \"softmax\",\n");
        TokenFeatures f = result.features();
        sb.append("  \"features\": {\"context\": ").append(f.context()).append(", \"shape\": [");
        appendStrings(sb, f.shapes().stream().map(TokenFeatures.Shape::key).toList());
        sb.append("], \"shape_context\": ").append(f.shapeContext()).append("},\n  \"bias\": [");
        float[] bias = result.model().bias();
        for (int k = 0; k < bias.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(Float.toString(bias[k]));
        }
        sb.append("],\n  \"weights\": [");
        float[][] w = result.model().weights();
        for (int k = 0; k < w.length; k++) {
            sb.append(k == 0 ? "\n    [" : ",\n    [");
            for (int d = 0; d < w[k].length; d++) {
                if (d > 0) {
                    sb.append(d % 8 == 0 ? ",\n     " : ", ");
                }
                sb.append(Float.toString(w[k][d]));
            }
            sb.append(']');
        }
        sb.append("\n  ],\n  \"trained\": {\n");
        sb.append("    \"data\": [");
        appendStrings(sb, dataNames.stream().map(n -> n.replace("\"", "")).toList());
        sb.append("],\n");
        sb.append("    \"seed\": ").append(seed).append(",\n");
        SoftmaxRegression.Settings o = result.optimiser();
        sb.append(String.format(java.util.Locale.ROOT,
                "    \"optimiser\": {\"epochs\": %d, \"batch_size\": %d, \"learning_rate\": %s, \"l2\": %s, \"class_weight_power\": %s},%n",
                o.epochs(), o.batchSize(), o.learningRate(), o.l2(), o.classWeightPower()));
        sb.append("    \"method\": \"softmax regression over frozen MiniLM token states with neighbours and shape flags; ")
                .append("GPE->LOCATION, STREET_ADDRESS->ADDRESS, other types O; entity-free texts as negatives\",\n");
        sb.append("    \"train_texts\": ").append(result.trainTexts()).append(",\n");
        sb.append("    \"train_tokens\": ").append(result.trainTokens()).append(",\n");
        sb.append("    \"label_counts\": {");
        for (int k = 0; k < result.labels().size(); k++) {
            sb.append(k == 0 ? "" : ", ").append('"').append(result.labels().get(k)).append("\": ")
                    .append(result.labelCounts()[k]);
        }
        sb.append("}\n  }\n}\n");
        return sb.toString();
    }

    private static void appendStrings(StringBuilder sb, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "\"" : ", \"").append(values.get(i)).append('"');
        }
    }
}
