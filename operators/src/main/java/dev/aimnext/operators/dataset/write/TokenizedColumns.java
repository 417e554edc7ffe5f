package dev.aimnext.operators.dataset.write;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The columns of a pre-tokenized dataset file, named as Hugging Face {@code datasets} and the
 * Transformers trainer read them, so {@code load_dataset("parquet", data_files=...)} gives rows
 * a data collator takes as they are.
 *
 * <p>The layout is the one pyarrow writes for {@code string} and {@code list<int32>} /
 * {@code list<string>} columns (optional column, standard three-level LIST, optional
 * {@code element}), so the files mix with ones written in Python. Nulls are never written.
 */
public final class TokenizedColumns {

    public static final String SPLIT = "split";
    public static final String INPUT_IDS = "input_ids";
    public static final String LABELS = "labels";
    public static final String POSITION_IDS = "position_ids";
    public static final String SEQUENCE_LENGTHS = "sequence_lengths";
    public static final String SOURCES = "sources";

    /** {@code split: string, input_ids, labels, position_ids, sequence_lengths: list<int32>, sources: list<string>}. */
    public static final MessageType SCHEMA = Types.buildMessage()
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(SPLIT)
            .addField(intList(INPUT_IDS))
            .addField(intList(LABELS))
            .addField(intList(POSITION_IDS))
            .addField(intList(SEQUENCE_LENGTHS))
            .addField(Types.optionalList()
                    .optionalElement(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
                    .named(SOURCES))
            .named("tokenized_sequence");

    private TokenizedColumns() {
    }

    private static Type intList(String name) {
        return Types.optionalList().optionalElement(PrimitiveTypeName.INT32).named(name);
    }
}
