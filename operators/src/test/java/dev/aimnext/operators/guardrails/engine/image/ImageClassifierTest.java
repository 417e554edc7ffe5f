package dev.aimnext.operators.guardrails.engine.image;

import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.MicroBatcher;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.engine.ModelPackException;
import dev.aimnext.operators.guardrails.engine.PackTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The image-classification path on a real ORT session: an HF-layout pack (model.onnx,
 * config.json, preprocessor_config.json, no tokenizer, no aim-pack.json) whose graph averages the
 * normalised channels and applies a linear layer, so a red and a blue image get different labels
 * and the scores can be computed by hand.
 */
class ImageClassifierTest {

    /** Column 0 scores "normal", column 1 "nsfw": blue pushes towards normal, red towards nsfw. */
    private static final float[][] W = {{-1, 1}, {0, 0}, {1, -1}};
    private static final float[] B = {0.1f, -0.1f};

    private static final String VIT_16 = "{\"image_processor_type\":\"ViTImageProcessor\",\"do_resize\":true,"
            + "\"size\":{\"height\":16,\"width\":16},\"resample\":2,\"do_rescale\":true,\"rescale_factor\":0.00392156862745098,"
            + "\"do_normalize\":true,\"image_mean\":[0.5,0.5,0.5],\"image_std\":[0.5,0.5,0.5]}";

    @TempDir
    Path dir;

    private Path pack(int graphSide, String config, String preprocessor) throws IOException {
        Files.write(dir.resolve("model.onnx"), TinyOnnxImageClassifier.model(graphSide, W, B));
        Files.writeString(dir.resolve("config.json"), config);
        if (preprocessor != null) {
            Files.writeString(dir.resolve("preprocessor_config.json"), preprocessor);
        }
        return dir;
    }

    private static String singleLabel() {
        return "{\"model_type\":\"vit\",\"id2label\":{\"0\":\"normal\",\"1\":\"nsfw\"},\"num_channels\":3}";
    }

    /** The logit of {@code label} (0 normal, 1 nsfw) for a uniform image whose normalised channels are r, g, b. */
    private static double logit(int label, double r, double g, double b) {
        return W[0][label] * r + W[1][label] * g + W[2][label] * b + B[label];
    }

    /** softmax over the two logits. */
    private static double nsfwProbability(double r, double g, double b) {
        return 1 / (1 + Math.exp(logit(0, r, g, b) - logit(1, r, g, b)));
    }

    @Test
    void anOptimumStyleExportLoadsWithoutManifestAndSeparatesRedFromBlue() throws IOException {
        ModelPack pack = ModelPack.load(pack(16, singleLabel(), VIT_16));
        assertThat(pack.task()).isEqualTo(PackTask.IMAGE_CLASSIFICATION);
        assertThat(pack.labels()).containsExactly("normal", "nsfw");

        ImageSource source = new ImageSource(ImageInputLimits.defaults());
        try (ImageClassifier classifier = ImageClassifier.open(pack, EngineSettings.defaults())) {
            classifier.warmUp();
            List<ImageScores> scores = classifier.classify(List.of(
                    source.read(TestImages.dataUrl(TestImages.solid(40, 30, 0xFF0000), "png")),
                    source.read(TestImages.dataUrl(TestImages.solid(7, 50, 0x0000FF), "bmp"))));

            // Red normalises to (1, -1, -1), blue to (-1, -1, 1); resizing a uniform image keeps it uniform.
            assertThat(scores.get(0).topLabel()).isEqualTo("nsfw");
            assertThat((double) scores.get(0).score("nsfw")).isCloseTo(nsfwProbability(1, -1, -1), within(1e-5));
            assertThat((double) scores.get(0).score("normal")).isCloseTo(1 - nsfwProbability(1, -1, -1), within(1e-5));
            assertThat(scores.get(1).topLabel()).isEqualTo("normal");
            assertThat((double) scores.get(1).score("nsfw")).isCloseTo(nsfwProbability(-1, -1, 1), within(1e-5));
        }
    }

    @Test
    void batchesAreCutAtMaxBatchSizeAndKeepImageOrder() throws IOException {
        ModelPack pack = ModelPack.load(pack(0, singleLabel(), VIT_16));
        EngineSettings two = new EngineSettings(EngineSettings.defaults().provider(), 0, 0, 0, 2, Duration.ZERO, 0);
        BufferedImage grey = new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                grey.getRaster().setSample(x, y, 0, 255);
            }
        }
        try (ImageClassifier classifier = ImageClassifier.open(pack, two)) {
            List<ImageScores> scores = classifier.classify(List.of(
                    TestImages.solid(3, 3, 0x0000FF), TestImages.solid(9, 4, 0xFF0000), grey,
                    TestImages.solid(20, 20, 0xFF0000), TestImages.solid(1, 1, 0x0000FF)));

            assertThat(scores).extracting(ImageScores::topLabel)
                    .containsExactly("normal", "nsfw", "normal", "nsfw", "normal");
            // White grey: (1, 1, 1) in every channel, so red and blue cancel and only the bias is left.
            assertThat((double) scores.get(2).score("nsfw")).isCloseTo(nsfwProbability(1, 1, 1), within(1e-5));
        }
    }

    @Test
    void multiLabelPacksScoreEachLabelWithASigmoid() throws IOException {
        String config = "{\"problem_type\":\"multi_label_classification\",\"id2label\":{\"0\":\"normal\",\"1\":\"nsfw\"}}";
        ModelPack pack = ModelPack.load(pack(16, config, VIT_16));
        try (ImageClassifier classifier = ImageClassifier.open(pack, EngineSettings.defaults())) {
            ImageScores red = classifier.classify(List.of(TestImages.solid(16, 16, 0xFF0000))).get(0);
            assertThat((double) red.score("nsfw")).isCloseTo(1 / (1 + Math.exp(-logit(1, 1, -1, -1))), within(1e-5));
            assertThat((double) red.score("normal")).isCloseTo(1 / (1 + Math.exp(-logit(0, 1, -1, -1))), within(1e-5));
        }
    }

    @Test
    void theBatcherAnswersEachImageWithItsOwnScores() throws IOException {
        ModelPack pack = ModelPack.load(pack(16, singleLabel(), VIT_16));
        try (ImageClassifier classifier = ImageClassifier.open(pack, EngineSettings.defaults());
             MicroBatcher<BufferedImage, ImageScores> batcher = classifier.newBatcher(Runnable::run)) {
            CompletableFuture<ImageScores> red = batcher.submit(TestImages.solid(8, 8, 0xFF0000));
            CompletableFuture<ImageScores> blue = batcher.submit(TestImages.solid(8, 8, 0x0000FF));
            batcher.flushAll();
            assertThat(red.join().topLabel()).isEqualTo("nsfw");
            assertThat(blue.join().topLabel()).isEqualTo("normal");
        }
    }

    @Test
    void anExplicitTaskNeedsThePreprocessorConfigAndNoTokenizer() throws IOException {
        pack(16, singleLabel(), null);
        Files.writeString(dir.resolve("aim-pack.json"), "{\"task\":\"image_classification\",\"version\":\"nsfw-1\"}");
        assertThatThrownBy(() -> ModelPack.load(dir))
                .isInstanceOf(ModelPackException.class)
                .hasMessageContaining("model pack file missing").hasMessageContaining("preprocessor_config.json");

        Files.writeString(dir.resolve("preprocessor_config.json"), VIT_16);
        ModelPack pack = ModelPack.load(dir);
        assertThat(pack.task()).isEqualTo(PackTask.IMAGE_CLASSIFICATION);
        assertThat(pack.version()).isEqualTo("nsfw-1");
    }

    @Test
    void aGraphForAnotherImageSizeFailsAtOpenNamingBothSizes() throws IOException {
        String eight = VIT_16.replace("\"height\":16,\"width\":16", "\"height\":8,\"width\":8");
        ModelPack pack = ModelPack.load(pack(16, singleLabel(), eight));
        assertThatThrownBy(() -> ImageClassifier.open(pack, EngineSettings.defaults()))
                .isInstanceOf(ModelPackException.class)
                .hasMessageContaining("16x16").hasMessageContaining("8x8").hasMessageContaining("preprocessor_config.json");
    }

    @Test
    void aTextPackIsNotOpenedAsAnImageClassifier() throws IOException {
        pack(16, singleLabel(), null);
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        ModelPack text = ModelPack.load(dir);
        assertThat(text.task()).isEqualTo(PackTask.SEQUENCE_CLASSIFICATION);
        assertThatThrownBy(() -> ImageClassifier.open(text, EngineSettings.defaults()))
                .isInstanceOf(ModelPackException.class).hasMessageContaining("image_classification");
    }
}
