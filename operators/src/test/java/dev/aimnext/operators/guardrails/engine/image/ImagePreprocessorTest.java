package dev.aimnext.operators.guardrails.engine.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimnext.operators.guardrails.engine.ModelPackException;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** HF-style preprocessing checked against arithmetic done here (Pillow's bilinear filter by hand). */
class ImagePreprocessorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ImagePreprocessor config(String json) throws IOException {
        return ImagePreprocessor.parse(MAPPER.readTree(json), "test/preprocessor_config.json");
    }

    private static final String VIT_2X2 = "{\"image_processor_type\":\"ViTImageProcessor\",\"do_resize\":true,"
            + "\"size\":{\"height\":2,\"width\":2},\"resample\":2,\"do_rescale\":true,\"rescale_factor\":0.00392156862745098,"
            + "\"do_normalize\":true,\"image_mean\":[0.5,0.5,0.5],\"image_std\":[0.5,0.5,0.5]}";

    /** Red grows along x (10 per column), green along y, blue is constant. */
    private static BufferedImage gradient(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (10 * x) << 16 | (10 * y) << 8 | 200);
            }
        }
        return image;
    }

    private static double normalised(double v) {
        return (v / 255.0 - 0.5) / 0.5;
    }

    @Test
    void vitResizeRescaleAndNormaliseMatchPillowsBilinearFilterByHand() throws IOException {
        ImagePreprocessor pre = config(VIT_2X2);
        float[] px = pre.pixels(gradient(4, 4));

        // Shrinking 4 -> 2: scale 2, so the triangle filter spans 2 input pixels each side.
        // Output 0 centres at 1.0 and weighs inputs 0, 1, 2 by 0.75, 0.75, 0.25; output 1 centres
        // at 3.0 and weighs inputs 1, 2, 3 by 0.25, 0.75, 0.75 (weights normalised by 1.75).
        long first = Math.round((0.75 * 0 + 0.75 * 10 + 0.25 * 20) / 1.75);
        long second = Math.round((0.25 * 10 + 0.75 * 20 + 0.75 * 30) / 1.75);
        assertThat(first).isEqualTo(7);
        assertThat(second).isEqualTo(23);
        assertThat(pre.height()).isEqualTo(2);
        assertThat(pre.width()).isEqualTo(2);
        assertThat(px).hasSize(12);
        // [R, G, B] planes, each [y][x].
        for (int y = 0; y < 2; y++) {
            assertThat((double) px[y * 2]).isCloseTo(normalised(first), within(1e-6));
            assertThat((double) px[y * 2 + 1]).isCloseTo(normalised(second), within(1e-6));
        }
        assertThat((double) px[4]).isCloseTo(normalised(first), within(1e-6));
        assertThat((double) px[4 + 2]).isCloseTo(normalised(second), within(1e-6));
        for (int i = 8; i < 12; i++) {
            assertThat((double) px[i]).isCloseTo(normalised(200), within(1e-6));
        }
    }

    @Test
    void enlargingInterpolatesBetweenNeighbours() {
        float[] row = Resampling.BILINEAR.resize(new float[] {0, 100}, 2, 1, 4, 1);
        // Centres at 0.25, 0.75, 1.25, 1.75 input pixels; the edges clamp.
        assertThat(row).containsExactly(0f, 25f, 75f, 100f);
        assertThat(Resampling.NEAREST.resize(new float[] {0, 100}, 2, 1, 4, 1)).containsExactly(0f, 0f, 100f, 100f);
    }

    @Test
    void bicubicOvershootIsClampedTo8Bits() {
        float[] row = Resampling.BICUBIC.resize(new float[] {0, 0, 255, 255}, 4, 1, 8, 1);
        for (float v : row) {
            assertThat(v).isBetween(0f, 255f);
        }
        assertThat(row[0]).isZero();
        assertThat(row[7]).isEqualTo(255f);
    }

    @Test
    void shortestEdgeKeepsTheAspectRatioThenTheCentreIsCropped() throws IOException {
        ImagePreprocessor pre = config("{\"do_resize\":true,\"size\":{\"shortest_edge\":2},\"resample\":2,"
                + "\"do_center_crop\":true,\"crop_size\":{\"height\":2,\"width\":2},\"do_rescale\":false,\"do_normalize\":false}");

        // HF: new_long = int(shortest_edge * long / short).
        assertThat(pre.resizeTarget(4, 8)).containsExactly(2, 4);
        assertThat(pre.resizeTarget(8, 4)).containsExactly(4, 2);
        assertThat(pre.resizeTarget(3, 10)).containsExactly(2, 6);
        assertThat(pre.height()).isEqualTo(2);
        assertThat(pre.width()).isEqualTo(2);

        // 8x4 (w x h) -> 4x2: red columns 0,10,..,70 shrink by 2. Away from the edges an output
        // centred at c weighs inputs c-2..c+1 by 0.25, 0.75, 0.75, 0.25 (sum 2). The 2x2 crop
        // keeps output columns 1 and 2, centred at 3.0 and 5.0.
        float[] px = pre.pixels(gradient(8, 4));
        long c1 = Math.round((0.25 * 10 + 0.75 * 20 + 0.75 * 30 + 0.25 * 40) / 2.0);
        long c2 = Math.round((0.25 * 30 + 0.75 * 40 + 0.75 * 50 + 0.25 * 60) / 2.0);
        assertThat(c1).isEqualTo(25);
        assertThat(c2).isEqualTo(45);
        assertThat(px[0]).isEqualTo((float) c1);
        assertThat(px[1]).isEqualTo((float) c2);
        assertThat(px[2]).isEqualTo((float) c1);
        assertThat(px[8]).isEqualTo(200f);
    }

    @Test
    void longestEdgeCapsTheLongSide() throws IOException {
        ImagePreprocessor pre = config("{\"size\":{\"shortest_edge\":100,\"longest_edge\":150},"
                + "\"do_center_crop\":true,\"crop_size\":100}");
        // 100 x 400 would be the plain shortest-edge size; the cap scales the short side by 150/400.
        assertThat(pre.resizeTarget(50, 200)).containsExactly(37, 150);
    }

    @Test
    void convNextResizesThenCropsBelow384AndWarpsFrom384() throws IOException {
        ImagePreprocessor small = config("{\"image_processor_type\":\"ConvNextImageProcessor\",\"do_resize\":true,"
                + "\"size\":{\"shortest_edge\":224},\"crop_pct\":0.875,\"resample\":3,\"do_rescale\":true,"
                + "\"rescale_factor\":0.00392156862745098,\"do_normalize\":true,"
                + "\"image_mean\":[0.485,0.456,0.406],\"image_std\":[0.229,0.224,0.225]}");
        // int(224 / 0.875) = 256 on the short side, then a 224 x 224 centre crop.
        assertThat(small.resizeTarget(300, 600)).containsExactly(256, 512);
        assertThat(small.height()).isEqualTo(224);
        assertThat(small.width()).isEqualTo(224);
        assertThat(small.pixels(TestImages.solid(600, 300, 0xFF0000))).hasSize(3 * 224 * 224);

        ImagePreprocessor large = config("{\"image_processor_type\":\"ConvNextImageProcessor\","
                + "\"size\":{\"shortest_edge\":384},\"crop_pct\":0.875,\"image_mean\":[0.5,0.5,0.5],\"image_std\":[0.5,0.5,0.5]}");
        assertThat(large.resizeTarget(300, 600)).containsExactly(384, 384);
        assertThat(large.height()).isEqualTo(384);
    }

    @Test
    void aCropLargerThanTheImageIsZeroPaddedAroundIt() {
        float[] plane = {1, 2, 3, 4};
        float[] out = ImagePreprocessor.centerCrop(plane, 2, 2, 4, 4);
        assertThat(out).containsExactly(
                0, 0, 0, 0,
                0, 1, 2, 0,
                0, 3, 4, 0,
                0, 0, 0, 0);
        // An odd excess pads more before than after: HF's leading pad is ceil(excess / 2).
        assertThat(ImagePreprocessor.centerCrop(new float[] {5, 6}, 1, 2, 1, 5)).containsExactly(0, 0, 5, 6, 0);
        assertThat(ImagePreprocessor.centerCrop(new float[] {1, 2, 3, 4, 5}, 1, 5, 1, 3)).containsExactly(2, 3, 4);
    }

    @Test
    void greyImagesAreCopiedIntoThreeChannelsWithoutGammaChange() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        grey.getRaster().setSample(1, 0, 0, 30);
        float[][] planes = ImagePreprocessor.rgbPlanes(grey);
        for (int ch = 0; ch < 3; ch++) {
            assertThat(planes[ch]).containsExactly(100f, 30f);
        }
        BufferedImage deep = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(0, 0, 0, 65535);
        assertThat(ImagePreprocessor.rgbPlanes(deep)[1]).containsExactly(255f);
    }

    @Test
    void alphaIsDroppedNotComposited() {
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00C80A14); // fully transparent (200, 10, 20)
        float[][] planes = ImagePreprocessor.rgbPlanes(argb);
        assertThat(planes[0]).containsExactly(200f);
        assertThat(planes[1]).containsExactly(10f);
        assertThat(planes[2]).containsExactly(20f);
    }

    @Test
    void paletteImagesUseTheirPaletteColours() {
        BufferedImage indexed = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(0, 0, 0x0000FF);
        float[][] planes = ImagePreprocessor.rgbPlanes(indexed);
        assertThat(planes[0][0]).isZero();
        assertThat(planes[2][0]).isEqualTo(255f);
    }

    @Test
    void unusableConfigsFailWithTheFileAndField() {
        assertThatThrownBy(() -> config("{\"size\":{\"height\":4,\"width\":4},\"image_mean\":[0.5,0.5],\"image_std\":[0.5,0.5,0.5]}"))
                .isInstanceOf(ModelPackException.class)
                .hasMessageContaining("test/preprocessor_config.json").hasMessageContaining("image_mean");
        assertThatThrownBy(() -> config("{\"size\":{\"height\":4,\"width\":4},\"resample\":9}"))
                .isInstanceOf(ModelPackException.class).hasMessageContaining("resample 9");
        assertThatThrownBy(() -> config("{\"size\":{\"height\":0,\"width\":4}}"))
                .isInstanceOf(ModelPackException.class).hasMessageContaining("size.height");
        assertThatThrownBy(() -> config("{\"size\":{\"shortest_edge\":224}}"))
                .isInstanceOf(ModelPackException.class).hasMessageContaining("depend on each image");
        assertThatThrownBy(() -> config("{\"image_processor_type\":\"PoolFormerImageProcessor\",\"size\":{\"shortest_edge\":224},\"crop_pct\":0.9}"))
                .isInstanceOf(ModelPackException.class).hasMessageContaining("crop_pct");
        assertThatThrownBy(() -> config("{\"size\":{\"height\":4,\"width\":4},\"image_mean\":[0.5,0.5,0.5],\"image_std\":[0.5,0,0.5]}"))
                .isInstanceOf(ModelPackException.class).hasMessageContaining("image_std");
    }
}
