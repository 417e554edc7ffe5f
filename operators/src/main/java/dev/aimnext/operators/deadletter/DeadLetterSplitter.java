package dev.aimnext.operators.deadletter;

import dev.aimnext.schemas.event.DeadLetter;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.HashMap;
import java.util.Map;

/**
 * Sends decoded events on and rejected records to the {@link #DEAD_LETTERS} side output, counting
 * dead letters per reason code as {@code aim_deadletter_records{reason="..."}}.
 */
public class DeadLetterSplitter<T> extends ProcessFunction<Either<DeadLetter, T>, T> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private transient Map<String, Counter> byReason;

    @Override
    public void open(OpenContext openContext) {
        byReason = new HashMap<>();
    }

    @Override
    public void processElement(Either<DeadLetter, T> value, Context ctx, Collector<T> out) {
        if (value.isRight()) {
            out.collect(value.right());
            return;
        }
        DeadLetter deadLetter = value.left();
        // Reason codes are a small fixed vocabulary, so one counter each stays bounded.
        byReason.computeIfAbsent(
                        deadLetter.getReasonCode(),
                        code ->
                                getRuntimeContext()
                                        .getMetricGroup()
                                        .addGroup("aim_deadletter")
                                        .addGroup("reason", code)
                                        .counter("records"))
                .inc();
        ctx.output(DEAD_LETTERS, deadLetter);
    }
}
