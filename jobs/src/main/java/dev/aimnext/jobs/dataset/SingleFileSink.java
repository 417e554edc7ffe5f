package dev.aimnext.jobs.dataset;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes every record as one line of a single local file. Run it with parallelism 1: the outputs of
 * a prepared dataset are meant to be single files a trainer opens directly. Not transactional; a
 * batch job that fails leaves a partial file, and a rerun overwrites it.
 */
public final class SingleFileSink implements Sink<String> {

    private static final long serialVersionUID = 1L;

    private final String path;

    public SingleFileSink(Path path) {
        this.path = path.toString();
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
        if (context.getTaskInfo().getNumberOfParallelSubtasks() != 1) {
            throw new IllegalStateException("SingleFileSink must run with parallelism 1: " + path);
        }
        Path file = Path.of(path);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        return new SinkWriter<>() {
            @Override
            public void write(String element, Context ctx) throws IOException {
                writer.write(element);
                writer.write('\n');
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                writer.flush();
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }
        };
    }
}
