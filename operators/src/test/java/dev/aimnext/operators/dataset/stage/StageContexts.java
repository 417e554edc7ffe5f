package dev.aimnext.operators.dataset.stage;

import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.GlobalWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;

/** Hand-written contexts and collectors that record main and side outputs, for calling stage functions directly. */
final class StageContexts {

    private StageContexts() {}

    static final class Outputs<T> implements Collector<T> {
        final List<T> main = new ArrayList<>();
        final List<DatasetReject> rejects = new ArrayList<>();
        final List<DatasetStats> stats = new ArrayList<>();

        @Override
        public void collect(T record) {
            main.add(record);
        }

        @Override
        public void close() {}

        void side(OutputTag<?> tag, Object value) {
            if (tag.getId().equals(ReadFileFunction.REJECTS.getId())) {
                rejects.add((DatasetReject) value);
            } else {
                stats.add((DatasetStats) value);
            }
        }

        DatasetStats mergedStats() {
            DatasetStats total = new DatasetStats();
            stats.forEach(total::merge);
            return total;
        }
    }

    static <I, O> ProcessFunction<I, O>.Context processContext(ProcessFunction<I, O> fn, Outputs<O> outputs) {
        return fn.new Context() {
            @Override
            public Long timestamp() {
                return null;
            }

            @Override
            public TimerService timerService() {
                throw new UnsupportedOperationException();
            }

            @Override
            public <X> void output(OutputTag<X> tag, X value) {
                outputs.side(tag, value);
            }
        };
    }

    static <I, O> ProcessWindowFunction<I, O, String, GlobalWindow>.Context windowContext(
            ProcessWindowFunction<I, O, String, GlobalWindow> fn, Outputs<O> outputs) {
        return fn.new Context() {
            @Override
            public GlobalWindow window() {
                return GlobalWindow.get();
            }

            @Override
            public long currentProcessingTime() {
                return 0;
            }

            @Override
            public long currentWatermark() {
                return Long.MAX_VALUE;
            }

            @Override
            public KeyedStateStore windowState() {
                throw new UnsupportedOperationException();
            }

            @Override
            public KeyedStateStore globalState() {
                throw new UnsupportedOperationException();
            }

            @Override
            public <X> void output(OutputTag<X> tag, X value) {
                outputs.side(tag, value);
            }
        };
    }
}
