package dev.aimnext.operators.guardrails.engine.image;

import dev.aimnext.operators.guardrails.engine.image.ImageRejectedException.Reason;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * Turns an image reference from a request into a decoded image. Accepted references:
 * <ul>
 *   <li>a data URL, {@code data:image/png;base64,...};</li>
 *   <li>raw base64 (standard or URL-safe alphabet, padding and line breaks optional);</li>
 *   <li>a local file, as {@code file:///abs/path.png} or a path, only inside
 *       {@link ImageInputLimits#allowedRoot}; a relative path is resolved against that root. A
 *       path is told from base64 by its {@code .} (base64 has none), so a path needs an extension
 *       or the {@code file://} form.</li>
 * </ul>
 * Images are never fetched over the network: http(s) and every other scheme are rejected. Every
 * refusal is an {@link ImageRejectedException} with a {@link Reason}; messages never echo the
 * image data. Thread-safe.
 */
public final class ImageSource {

    private static final int MAX_ECHO = 48;

    private final ImageInputLimits limits;

    public ImageSource(ImageInputLimits limits) {
        this.limits = limits;
    }

    /** The limits this source enforces. */
    public ImageInputLimits limits() {
        return limits;
    }

    /** Reads and decodes the image {@code reference} points at. */
    public BufferedImage read(String reference) {
        return ImageDecoder.decode(bytes(reference), limits.maxPixels());
    }

    /** The encoded image bytes {@code reference} points at, checked against the byte limit. */
    public byte[] bytes(String reference) {
        String ref = reference == null ? "" : reference.strip();
        if (ref.isEmpty()) {
            throw new ImageRejectedException(Reason.EMPTY, "image reference is empty");
        }
        if (ref.regionMatches(true, 0, "data:", 0, 5)) {
            return dataUrl(ref);
        }
        String scheme = scheme(ref);
        if (scheme != null) {
            String name = scheme.toLowerCase(Locale.ROOT);
            if (name.equals("file")) {
                return file(fileUrlPath(ref));
            }
            if (name.equals("http") || name.equals("https") || name.equals("ftp") || name.equals("s3")
                    || name.equals("gs") || name.equals("hdfs")) {
                throw new ImageRejectedException(Reason.REMOTE_REFERENCE, "image references to " + name
                        + ": URLs are rejected: images are never fetched over the network; send a data URL or base64");
            }
            throw new ImageRejectedException(Reason.UNSUPPORTED_REFERENCE, "image reference scheme " + name
                    + ": is not accepted; send a data URL, base64 or a file under the allowed root");
        }
        if (ref.indexOf('.') >= 0 || ref.indexOf('\\') >= 0) {
            return file(localPath(ref));
        }
        return base64(ref, "image base64");
    }

    private byte[] dataUrl(String ref) {
        int comma = ref.indexOf(',');
        String header = comma < 0 ? ref : ref.substring(0, comma);
        String h = header.toLowerCase(Locale.ROOT);
        if (comma < 0 || !h.startsWith("data:image/") || !h.endsWith(";base64")) {
            throw new ImageRejectedException(Reason.MALFORMED_DATA_URL, "data URL must be data:image/<type>;base64,<data>, got "
                    + (comma < 0 ? "no ',' separator" : "header '" + echo(header) + "'"));
        }
        return base64(ref.substring(comma + 1), "data URL payload");
    }

    /**
     * The URL scheme {@code ref} starts with, or null. Two characters at least, so a Windows drive
     * letter is not taken for one; base64 has no ':'. Scanned by hand: no java.util.regex on
     * untrusted input (the architecture rule against backtracking matchers).
     */
    private static String scheme(String ref) {
        int colon = ref.indexOf(':');
        if (colon < 2 || !isAsciiLetter(ref.charAt(0))) {
            return null;
        }
        for (int i = 1; i < colon; i++) {
            char c = ref.charAt(i);
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-')) {
                return null;
            }
        }
        return ref.substring(0, colon);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Base64 of either alphabet, with '=' padding; whitespace is dropped before this check. */
    private static boolean isBase64Char(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
    }

    private byte[] base64(String text, String what) {
        StringBuilder kept = new StringBuilder(text.length());
        boolean foreign = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            foreign |= !isBase64Char(c);
            kept.append(c);
        }
        String compact = kept.toString();
        if (compact.isEmpty()) {
            throw new ImageRejectedException(Reason.MALFORMED_BASE64, what + " is empty");
        }
        // 4 base64 characters carry 3 bytes: refuse before decoding anything large.
        long decoded = compact.length() / 4L * 3;
        if (decoded > limits.maxBytes()) {
            throw new ImageRejectedException(Reason.TOO_MANY_BYTES, what + " holds about " + decoded
                    + " bytes, more than the limit of " + limits.maxBytes());
        }
        if (foreign) {
            throw new ImageRejectedException(Reason.MALFORMED_BASE64, what + " is not base64 (a file path needs an"
                    + " extension or the file:/// form; network URLs are not accepted)");
        }
        boolean urlSafe = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0;
        try {
            byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact);
            if (bytes.length > limits.maxBytes()) {
                throw new ImageRejectedException(Reason.TOO_MANY_BYTES, what + " holds " + bytes.length
                        + " bytes, more than the limit of " + limits.maxBytes());
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new ImageRejectedException(Reason.MALFORMED_BASE64, what + " is not valid base64: " + e.getMessage(), e);
        }
    }

    private static Path fileUrlPath(String ref) {
        try {
            return Path.of(URI.create(ref));
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_REFERENCE,
                    "file URL must be file:///absolute/path (no host, spaces as %20): " + e.getMessage(), e);
        }
    }

    private static Path localPath(String ref) {
        try {
            return Path.of(ref);
        } catch (InvalidPathException e) {
            throw new ImageRejectedException(Reason.FILE_NOT_READABLE, "image path is not a valid path: " + e.getMessage(), e);
        }
    }

    private byte[] file(Path requested) {
        if (limits.allowedRoot() == null) {
            throw new ImageRejectedException(Reason.FILE_REFERENCES_DISABLED, "image file references are disabled;"
                    + " set aim.guardrails.image.allowed-root to allow files under one directory");
        }
        Path root = limits.allowedRoot().toAbsolutePath().normalize();
        Path candidate = root.resolve(requested).normalize();
        // Checked twice: lexically first, so nothing outside the root is even probed, then after
        // following symbolic links, so a link inside the root cannot lead out of it.
        if (!candidate.startsWith(root)) {
            throw outside(requested);
        }
        Path real;
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new ImageRejectedException(Reason.FILE_NOT_READABLE,
                    "the allowed image root " + root + " does not exist or cannot be read", e);
        }
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ImageRejectedException(Reason.FILE_NOT_READABLE, "image file " + requested + " does not exist", e);
        } catch (IOException e) {
            throw new ImageRejectedException(Reason.FILE_NOT_READABLE, "image file " + requested + " cannot be read: " + e, e);
        }
        if (!real.startsWith(realRoot)) {
            throw outside(requested);
        }
        if (!Files.isRegularFile(real)) {
            throw new ImageRejectedException(Reason.FILE_NOT_READABLE, "image file " + requested + " is not a regular file");
        }
        try {
            long size = Files.size(real);
            if (size > limits.maxBytes()) {
                throw new ImageRejectedException(Reason.TOO_MANY_BYTES, "image file " + requested + " has " + size
                        + " bytes, more than the limit of " + limits.maxBytes());
            }
            return Files.readAllBytes(real);
        } catch (IOException e) {
            throw new ImageRejectedException(Reason.FILE_NOT_READABLE, "image file " + requested + " cannot be read: " + e, e);
        }
    }

    private ImageRejectedException outside(Path requested) {
        return new ImageRejectedException(Reason.OUTSIDE_ALLOWED_ROOT,
                "image file " + requested + " lies outside the allowed root " + limits.allowedRoot());
    }

    private static String echo(String s) {
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "...";
    }
}
