package dev.aimnext.schemas.codec;

import org.apache.avro.Schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Older writer schemas that readers must still resolve. They live on the classpath under
 * {@code aim-schemas/history/}, named {@code <RecordName>-v<N>.avsc} and listed in {@code index.txt},
 * because the Avro plugin would otherwise generate classes for them.
 */
public final class SchemaHistory {

    private static final String ROOT = "aim-schemas/history/";

    private SchemaHistory() {}

    /** All historic writer schemas of the record with the given simple name, oldest first. */
    public static List<Schema> olderVersionsOf(String recordName) {
        List<Schema> schemas = new ArrayList<>();
        for (String file : index()) {
            if (file.startsWith(recordName + "-v")) {
                try (InputStream in = resource(ROOT + file)) {
                    schemas.add(new Schema.Parser().parse(in));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read historic schema " + file, e);
                }
            }
        }
        return schemas;
    }

    private static List<String> index() {
        List<String> files = new ArrayList<>();
        try (InputStream in = resource(ROOT + "index.txt");
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    files.add(line.trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema history index", e);
        }
        return files;
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException("missing classpath resource " + path);
        }
        return in;
    }
}
