package dev.aimnext.operators.guardrails.engine.image;

import dev.aimnext.operators.guardrails.engine.image.ImageRejectedException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which image references are read, and how every other one is refused. */
class ImageSourceTest {

    @TempDir
    Path dir;

    private static final int RED = 0xFF0000;
    private static final BufferedImage RED_3X2 = TestImages.solid(3, 2, RED);

    private ImageSource withRoot() throws IOException {
        Path root = Files.createDirectories(dir.resolve("images"));
        return new ImageSource(ImageInputLimits.defaults().withAllowedRoot(root));
    }

    private static void assertRed3x2(BufferedImage image) {
        assertThat(image.getWidth()).isEqualTo(3);
        assertThat(image.getHeight()).isEqualTo(2);
        assertThat(image.getRGB(2, 1) & 0xFFFFFF).isEqualTo(RED);
    }

    private static void assertRejected(ImageSource source, String reference, Reason reason, String messagePart) {
        assertThatThrownBy(() -> source.read(reference))
                .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }

    @Test
    void dataUrlsAndRawBase64InEveryAcceptedFormatDecode() {
        ImageSource source = new ImageSource(ImageInputLimits.defaults());
        for (String format : new String[] {"png", "bmp", "gif"}) {
            assertRed3x2(source.read(TestImages.dataUrl(RED_3X2, format)));
        }
        BufferedImage jpeg = source.read(TestImages.dataUrl(RED_3X2, "jpg"));
        assertThat(jpeg.getWidth()).isEqualTo(3);
        assertThat((jpeg.getRGB(1, 1) >> 16) & 0xFF).isGreaterThan(200); // lossy, but red

        byte[] png = TestImages.encode(RED_3X2, "png");
        assertRed3x2(source.read(Base64.getEncoder().encodeToString(png)));
        assertRed3x2(source.read(Base64.getMimeEncoder().encodeToString(png)));
        assertRed3x2(source.read(Base64.getUrlEncoder().withoutPadding().encodeToString(png)));
        assertRed3x2(source.read("DATA:IMAGE/PNG;BASE64," + Base64.getEncoder().encodeToString(png)));
    }

    @Test
    void filesAreReadOnlyInsideTheAllowedRoot() throws IOException {
        ImageSource source = withRoot();
        Path root = source.limits().allowedRoot();
        Files.createDirectories(root.resolve("sub"));
        Path file = Files.write(root.resolve("sub/red.png"), TestImages.encode(RED_3X2, "png"));

        assertRed3x2(source.read(file.toUri().toString()));
        assertRed3x2(source.read(file.toString()));
        assertRed3x2(source.read("sub/red.png"));

        Path outside = Files.write(dir.resolve("secret.png"), TestImages.encode(RED_3X2, "png"));
        assertRejected(source, outside.toString(), Reason.OUTSIDE_ALLOWED_ROOT, "outside the allowed root");
        assertRejected(source, outside.toUri().toString(), Reason.OUTSIDE_ALLOWED_ROOT, "outside the allowed root");
        assertRejected(source, "sub/../../secret.png", Reason.OUTSIDE_ALLOWED_ROOT, "outside the allowed root");
        Files.createSymbolicLink(root.resolve("link.png"), outside);
        assertRejected(source, "link.png", Reason.OUTSIDE_ALLOWED_ROOT, "outside the allowed root");

        assertRejected(source, "sub/missing.png", Reason.FILE_NOT_READABLE, "does not exist");
        Files.createDirectories(root.resolve("dir.png"));
        assertRejected(source, "dir.png", Reason.FILE_NOT_READABLE, "not a regular file");
        assertRejected(source, "file://otherhost/x.png", Reason.UNSUPPORTED_REFERENCE, "file:///absolute/path");
    }

    @Test
    void withoutAnAllowedRootNoFileIsRead() throws IOException {
        Path file = Files.write(dir.resolve("red.png"), TestImages.encode(RED_3X2, "png"));
        ImageSource source = new ImageSource(ImageInputLimits.defaults());
        assertRejected(source, file.toString(), Reason.FILE_REFERENCES_DISABLED, "aim.guardrails.image.allowed-root");
        assertRejected(source, file.toUri().toString(), Reason.FILE_REFERENCES_DISABLED, "disabled");
    }

    @Test
    void networkAndOtherSchemesAreNeverFollowed() {
        ImageSource source = new ImageSource(ImageInputLimits.defaults());
        assertRejected(source, "https://example.com/cat.png", Reason.REMOTE_REFERENCE, "never fetched over the network");
        assertRejected(source, "http://127.0.0.1:8080/x.jpg", Reason.REMOTE_REFERENCE, "never fetched over the network");
        assertRejected(source, "jar:file:///x.jar!/a.png", Reason.UNSUPPORTED_REFERENCE, "jar:");
        assertRejected(source, "ftp://host/a.png", Reason.REMOTE_REFERENCE, "ftp:");
    }

    @Test
    void malformedDataUrlsAndBase64AreRejectedWithoutEchoingThePayload() {
        ImageSource source = new ImageSource(ImageInputLimits.defaults());
        String payload = Base64.getEncoder().encodeToString(TestImages.encode(RED_3X2, "png"));
        assertRejected(source, "data:text/plain;base64," + payload, Reason.MALFORMED_DATA_URL, "data:image/<type>;base64");
        assertRejected(source, "data:image/png," + payload, Reason.MALFORMED_DATA_URL, "header 'data:image/png'");
        assertRejected(source, "data:image/png;base64", Reason.MALFORMED_DATA_URL, "no ','");
        assertRejected(source, "data:image/png;base64,", Reason.MALFORMED_BASE64, "empty");
        assertRejected(source, "data:image/png;base64,@@@@", Reason.MALFORMED_BASE64, "not base64");
        assertRejected(source, "abcde", Reason.MALFORMED_BASE64, "not valid base64");
        assertRejected(source, "  ", Reason.EMPTY, "empty");
        assertThatThrownBy(() -> source.read("data:image/png;base64,%%" + payload))
                .hasMessageNotContaining(payload.substring(0, 20));
    }

    @Test
    void bytesThatAreNoAcceptedImageAreRejected() {
        ImageSource source = new ImageSource(ImageInputLimits.defaults());
        String text = Base64.getEncoder().encodeToString("just some text, not an image".getBytes());
        assertRejected(source, text, Reason.UNSUPPORTED_FORMAT, "not a PNG, JPEG, BMP or GIF");

        byte[] png = TestImages.encode(TestImages.solid(64, 64, RED), "png");
        byte[] truncated = Arrays.copyOf(png, png.length / 2);
        assertRejected(source, Base64.getEncoder().encodeToString(truncated), Reason.UNDECODABLE, "cannot decode image");

        byte[] tiff = TestImages.encode(RED_3X2, "tiff");
        assertRejected(source, Base64.getEncoder().encodeToString(tiff), Reason.UNSUPPORTED_FORMAT, "tif");
    }

    @Test
    void oversizeImagesAreRejectedBeforeDecoding() throws IOException {
        byte[] png = TestImages.encode(TestImages.solid(100, 100, RED), "png");
        ImageSource fewBytes = new ImageSource(new ImageInputLimits(null, png.length - 1, 1_000_000));
        assertRejected(fewBytes, Base64.getEncoder().encodeToString(png), Reason.TOO_MANY_BYTES, "limit of " + (png.length - 1));

        ImageSource fewPixels = new ImageSource(new ImageInputLimits(null, 1_000_000, 5_000));
        assertRejected(fewPixels, Base64.getEncoder().encodeToString(png), Reason.TOO_MANY_PIXELS, "100x100 = 10000 pixels");

        Path root = Files.createDirectories(dir.resolve("big"));
        Files.write(root.resolve("big.png"), png);
        ImageSource smallFiles = new ImageSource(new ImageInputLimits(root, 100, 1_000_000));
        assertRejected(smallFiles, "big.png", Reason.TOO_MANY_BYTES, "limit of 100");
    }
}
