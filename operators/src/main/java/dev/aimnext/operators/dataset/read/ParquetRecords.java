package dev.aimnext.operators.dataset.read;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * The records of a local Parquet file, one row group in memory at a time, without Hadoop: the file
 * is opened through {@link LocalInputFile} with a {@link PlainParquetConfiguration} and pages are
 * decompressed by {@link ParquetCodecs}. Shared by the dataset reader and the pre-tokenized output
 * reader.
 */
public final class ParquetRecords implements Iterator<Group>, Closeable {

    private final ParquetFileReader file;
    private final MessageType schema;
    private final MessageColumnIO columnIO;
    private RecordReader<Group> rowGroup;
    private long leftInRowGroup;
    private boolean finished;

    private ParquetRecords(ParquetFileReader file) {
        this.file = file;
        this.schema = file.getFooter().getFileMetaData().getSchema();
        this.columnIO = new ColumnIOFactory().getColumnIO(schema);
    }

    /**
     * Opens a file and reads its footer.
     *
     * @throws NotParquetException when the file is not Parquet or its footer is damaged
     * @throws IOException when the file cannot be read
     */
    public static ParquetRecords open(Path path) throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(ParquetCodecs.INSTANCE)
                .build();
        ParquetFileReader reader;
        try {
            reader = ParquetFileReader.open(new LocalInputFile(path), options);
        } catch (RuntimeException e) {
            // parquet-java reports a missing magic number or a bad footer length as a bare
            // RuntimeException; the typical cause is a file still being written or not Parquet at all.
            throw new NotParquetException(path.getFileName() + ": not a Parquet file, or its footer is damaged", e);
        }
        return new ParquetRecords(reader);
    }

    /** The file's schema. */
    public MessageType schema() {
        return schema;
    }

    /** The compression codecs of all column chunks, for an up-front check against {@link ParquetCodecs}. */
    public List<CompressionCodecName> codecs() {
        List<CompressionCodecName> codecs = new ArrayList<>();
        for (BlockMetaData block : file.getFooter().getBlocks()) {
            for (ColumnChunkMetaData column : block.getColumns()) {
                codecs.add(column.getCodec());
            }
        }
        return codecs;
    }

    /** The number of rows the footer declares. */
    public long rowCount() {
        return file.getRecordCount();
    }

    @Override
    public boolean hasNext() {
        if (finished) {
            return false;
        }
        if (leftInRowGroup == 0) {
            PageReadStore pages;
            try {
                pages = file.readNextRowGroup();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (pages == null) {
                finished = true;
                return false;
            }
            rowGroup = columnIO.getRecordReader(pages, new GroupRecordConverter(schema));
            leftInRowGroup = pages.getRowCount();
            return hasNext(); // a row group may be empty
        }
        return true;
    }

    @Override
    public Group next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        leftInRowGroup--;
        return rowGroup.read();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** The file is not Parquet, or its footer cannot be read. */
    public static final class NotParquetException extends IOException {

        private static final long serialVersionUID = 1L;

        NotParquetException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
