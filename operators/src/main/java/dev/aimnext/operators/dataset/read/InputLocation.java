package dev.aimnext.operators.dataset.read;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where an input file is. A plain path is read in place. A URI with a scheme ({@code s3://},
 * {@code gs://}, {@code hdfs://}, {@code abfss://}, {@code file://}) goes through Flink's
 * {@link FileSystem}, so any file system a Flink plugin provides works as it does for Flink's own
 * connectors; the file is first copied to a local scratch folder, because the Parquet reader needs
 * random access and the readers are shared with local files. The copy keeps the file name, which
 * row ids use, and {@link #close} deletes it.
 */
public final class InputLocation implements AutoCloseable {

    private final Path local;
    private final Path scratch;

    private InputLocation(Path local, Path scratch) {
        this.local = local;
        this.scratch = scratch;
    }

    /**
     * Whether {@code location} names a file through a URI scheme ({@code scheme:/...}, as Flink writes
     * {@code file:/tmp/x}, or {@code scheme://...}) rather than a plain path. A one-letter scheme is
     * not taken, so a Windows drive is a path.
     */
    public static boolean isUri(String location) {
        int colon = location.indexOf(":/");
        if (colon < 2) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = location.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /**
     * @throws IOException when the file cannot be reached or copied; the message names the location
     */
    public static InputLocation resolve(String location) throws IOException {
        if (!isUri(location)) {
            return new InputLocation(Path.of(location), null);
        }
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new IOException("not a valid URI: " + location, e);
        }
        org.apache.flink.core.fs.Path remote = new org.apache.flink.core.fs.Path(uri);
        Path scratch = Files.createTempDirectory("aim-input-");
        Path local = scratch.resolve(remote.getName());
        try (FSDataInputStream in = FileSystem.get(uri).open(remote)) {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(scratch, local);
            throw new IOException("cannot read " + location + " through Flink's file systems (is the plugin for '"
                    + uri.getScheme() + "' installed?): " + e.getMessage(), e);
        }
        return new InputLocation(local, scratch);
    }

    /** The file to read. */
    public Path file() {
        return local;
    }

    @Override
    public void close() {
        if (scratch != null) {
            deleteQuietly(scratch, local);
        }
    }

    private static void deleteQuietly(Path scratch, Path local) {
        try {
            Files.deleteIfExists(local);
            Files.deleteIfExists(scratch);
        } catch (IOException ignored) {
            // a leftover temp file is not worth failing the job for
        }
    }
}
