package dev.aimnext.operators.dataset.read;

import java.io.IOException;

/** {@link JsonRowReader} seen as a {@link DatasetFileReader}. */
final class JsonFileReader implements DatasetFileReader {

    private final JsonRowReader rows;

    JsonFileReader(JsonRowReader rows) {
        this.rows = rows;
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public SourceRow next() {
        return rows.next();
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }
}
