package dev.aimnext.operators.guardrails.train;

import dev.aimnext.operators.guardrails.engine.LexicalModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a trained head in the pack's head-file format ({@code labels}, {@code weights}, {@code
 * bias}, {@code threshold}, {@code activation}) plus a {@code trained} block saying how it was
 * made. The text is built by hand, with {@link Float#toString} for every weight, so equal weights
 * always give equal bytes: the committed heads are checked by retraining and comparing files.
 */
public final class HeadFile {

    private HeadFile() {}

    /** The file's content. */
    public static String render(HeadTrainer.Result result, String encoder, long seed) {
        LogisticRegression.Model m = result.model();
        StringBuilder sb = new StringBuilder();
        sb.append("{\n");
        sb.append("  \"labels\": [\"").append(result.task().positiveLabel()).append("\"],\n");
        sb.append("  \"activation\": \"sigmoid\",\n");
        sb.append("  \"threshold\": ").append(round(result.validation().threshold())).append(",\n");
        sb.append("  \"bias\": [").append(Float.toString(m.bias())).append("],\n");
        sb.append("  \"weights\": [[");
        float[] w = m.weights();
        for (int d = 0; d < w.length; d++) {
            if (d > 0) {
                sb.append(d % 8 == 0 ? ",\n    " : ", ");
            }
            sb.append(Float.toString(w[d]));
        }
        sb.append("]],\n");
        LexicalModel lexical = result.lexical();
        if (lexical != null) {
            sb.append("  \"lexical\": {\"features\": \"").append(LexicalModel.FEATURES)
                    .append("\", \"bits\": ").append(lexical.bits())
                    .append(", \"mix\": ").append(lexical.mix())
                    .append(", \"bias\": ").append(Float.toString(lexical.bias()))
                    .append(",\n    \"weights_f32le\": \"").append(lexical.encodedWeights()).append("\"},\n");
        }
        sb.append("  \"trained\": {\n");
        sb.append("    \"encoder\": \"").append(encoder).append("\",\n");
        sb.append("    \"seed\": ").append(seed).append(",\n");
        sb.append("    \"method\": \"class-balanced logistic regression on frozen pooled vectors, mixed with one on hashed word 1-2-grams (mix by validation AUC); threshold: best validation F1 with false-positive rate <= bound\",\n");
        sb.append("    \"train_rows\": ").append(result.trainRows()).append(",\n");
        sb.append("    \"validation_rows\": ").append(result.validationRows()).append(",\n");
        sb.append(String.format(Locale.ROOT, "    \"validation\": {\"f1\": %.4f, \"precision\": %.4f, \"recall\": %.4f, \"fpr\": %.4f, \"auc\": %.4f},%n",
                result.validation().f1(), result.validation().precision(), result.validation().recall(),
                result.validation().falsePositiveRate(), result.validationAuc()));
        sb.append("    \"files\": [");
        List<String> files = result.files();
        for (int i = 0; i < files.size(); i++) {
            sb.append(i == 0 ? "\n      \"" : ",\n      \"").append(files.get(i)).append('"');
        }
        sb.append("\n    ]\n  }\n}\n");
        return sb.toString();
    }

    /** Thresholds are chosen among validation scores; four decimals are plenty and read well. */
    private static String round(double threshold) {
        return String.format(Locale.ROOT, "%.4f", Math.floor(threshold * 10_000) / 10_000);
    }

    public static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
