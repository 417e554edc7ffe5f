package dev.aimnext.operators.dataset.write;

import dev.aimnext.operators.dataset.tokenize.TokenizedSequence;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/** Writes one {@link TokenizedSequence} as one record of {@link TokenizedColumns#SCHEMA}. */
final class TokenizedWriteSupport extends WriteSupport<TokenizedSequence> {

    private RecordConsumer out;

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(TokenizedColumns.SCHEMA, Map.of());
    }

    /** Required by the base class; never called, because the writer passes a ParquetConfiguration. */
    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
        return new WriteContext(TokenizedColumns.SCHEMA, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(TokenizedSequence s) {
        out.startMessage();
        out.startField(TokenizedColumns.SPLIT, 0);
        out.addBinary(Binary.fromString(s.split));
        out.endField(TokenizedColumns.SPLIT, 0);
        ints(TokenizedColumns.INPUT_IDS, 1, s.inputIds);
        ints(TokenizedColumns.LABELS, 2, s.labels);
        ints(TokenizedColumns.POSITION_IDS, 3, s.positionIds);
        ints(TokenizedColumns.SEQUENCE_LENGTHS, 4, s.sequenceLengths);
        out.startField(TokenizedColumns.SOURCES, 5);
        out.startGroup();
        if (s.sources.length > 0) {
            out.startField("list", 0);
            for (String source : s.sources) {
                out.startGroup();
                out.startField("element", 0);
                out.addBinary(Binary.fromString(source));
                out.endField("element", 0);
                out.endGroup();
            }
            out.endField("list", 0);
        }
        out.endGroup();
        out.endField(TokenizedColumns.SOURCES, 5);
        out.endMessage();
    }

    /** A standard three-level LIST: the column's group, a repeated {@code list}, one {@code element}. */
    private void ints(String name, int index, int[] values) {
        out.startField(name, index);
        out.startGroup();
        if (values.length > 0) {
            out.startField("list", 0);
            for (int value : values) {
                out.startGroup();
                out.startField("element", 0);
                out.addInteger(value);
                out.endField("element", 0);
                out.endGroup();
            }
            out.endField("list", 0);
        }
        out.endGroup();
        out.endField(name, index);
    }
}
