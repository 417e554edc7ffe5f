package dev.aimnext.jobs.dataset;

import dev.aimnext.operators.dataset.stage.BucketPairFunction;
import dev.aimnext.operators.dataset.stage.ConversationJson;
import dev.aimnext.operators.dataset.stage.DatasetStats;
import dev.aimnext.operators.dataset.stage.ExactDedupFunction;
import dev.aimnext.operators.dataset.stage.LshBucketAssigner;
import dev.aimnext.operators.dataset.stage.ManifestFunction;
import dev.aimnext.operators.dataset.stage.NearDupRemovalFunction;
import dev.aimnext.operators.dataset.stage.NearDupVote;
import dev.aimnext.operators.dataset.stage.PackSequencesFunction;
import dev.aimnext.operators.dataset.stage.PrepSettings;
import dev.aimnext.operators.dataset.stage.PreparedRow;
import dev.aimnext.operators.dataset.stage.ReadFileFunction;
import dev.aimnext.operators.dataset.stage.SplitAssigner;
import dev.aimnext.operators.dataset.tokenize.TokenizedSequence;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.GlobalWindows;

import java.nio.file.Path;
import java.util.List;

/**
 * The fine-tuning dataset preparation job, BATCH mode: input files → read, detect, validate and
 * PII-scrub (one task per file) → exact dedup keyed by normalized-text hash → near-dup dedup keyed
 * per LSH band bucket → deterministic train/eval split → train, eval, rejects and manifest sinks.
 * It only wires; the stages live in {@code dev.aimnext.operators.dataset.stage} and the sinks come in
 * through the constructor so tests can collect in memory.
 */
public final class DatasetPrepJob {

    public static final String NAME = "aim-dataset-prep";

    private final List<String> inputs;
    private final PrepSettings settings;
    private final Sink<String> train;
    private final Sink<String> eval;
    private final Sink<String> rejects;
    private final Sink<String> manifest;
    private Sink<TokenizedSequence> trainSequences;
    private Sink<TokenizedSequence> evalSequences;

    public DatasetPrepJob(List<String> inputs, PrepSettings settings, Sink<String> train, Sink<String> eval,
            Sink<String> rejects, Sink<String> manifest) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no input files");
        }
        this.inputs = List.copyOf(inputs);
        this.settings = settings;
        this.train = train;
        this.eval = eval;
        this.rejects = rejects;
        this.manifest = manifest;
    }

    /**
     * Writes {@code train.jsonl}, {@code eval.jsonl}, {@code rejects.jsonl} and {@code manifest.json} under
     * {@code dir}, and {@code train.parquet}/{@code eval.parquet} when the settings ask for token ids.
     */
    public static DatasetPrepJob toFiles(List<String> inputs, PrepSettings settings, Path dir) {
        DatasetPrepJob job = new DatasetPrepJob(inputs, settings,
                new SingleFileSink(dir.resolve("train.jsonl")), new SingleFileSink(dir.resolve("eval.jsonl")),
                new SingleFileSink(dir.resolve("rejects.jsonl")), new SingleFileSink(dir.resolve("manifest.json")));
        if (settings.tokenization().producesTokenIds()) {
            job.withSequenceSinks(new ParquetFileSink(dir.resolve("train.parquet")),
                    new ParquetFileSink(dir.resolve("eval.parquet")));
        }
        return job;
    }

    /**
     * Where the pre-tokenized sequences go when the settings ask for token ids (packing or
     * Parquet output); without these sinks the job fails to build in that case.
     */
    public DatasetPrepJob withSequenceSinks(Sink<TokenizedSequence> train, Sink<TokenizedSequence> eval) {
        this.trainSequences = train;
        this.evalSequences = eval;
        return this;
    }

    /** Adds the pipeline to {@code env} and switches it to BATCH mode. */
    public void build(StreamExecutionEnvironment env) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        SingleOutputStreamOperator<PreparedRow> read = env.fromData(inputs)
                .name("input files")
                .rebalance()
                .process(new ReadFileFunction(settings))
                .name("read, validate, scrub")
                .uid("read-validate-scrub");

        SingleOutputStreamOperator<PreparedRow> unique = read
                .keyBy(row -> row.exactKey, Types.STRING)
                .window(GlobalWindows.createWithEndOfStreamTrigger())
                .process(new ExactDedupFunction())
                .name("exact dedup")
                .uid("exact-dedup");

        DataStream<PreparedRow> distinct = unique;
        DataStream<DatasetStats> nearStats = null;
        DataStream<String> nearRejects = null;
        if (settings.nearDupEnabled()) {
            DataStream<NearDupVote> votes = unique
                    .flatMap(new LshBucketAssigner(settings.nearDupThreshold()))
                    .name("LSH bands")
                    .keyBy(member -> member.bucket, Types.STRING)
                    .window(GlobalWindows.createWithEndOfStreamTrigger())
                    .process(new BucketPairFunction(settings.nearDupThreshold()))
                    .name("near-dup candidates per bucket")
                    .uid("near-dup-buckets");
            SingleOutputStreamOperator<PreparedRow> kept = unique
                    .map(NearDupVote::row)
                    .returns(NearDupVote.class)
                    .name("rows as votes")
                    .union(votes)
                    .keyBy(v -> v.rowId, Types.STRING)
                    .window(GlobalWindows.createWithEndOfStreamTrigger())
                    .process(new NearDupRemovalFunction())
                    .name("near-dup removal")
                    .uid("near-dup-removal");
            distinct = kept;
            nearStats = kept.getSideOutput(ReadFileFunction.STATS);
            nearRejects = kept.getSideOutput(ReadFileFunction.REJECTS).map(ConversationJson::rejectLine)
                    .returns(Types.STRING);
        }

        SingleOutputStreamOperator<PreparedRow> split = distinct
                .process(new SplitAssigner(settings.evalFraction()))
                .name("train/eval split")
                .uid("split");
        split.filter(row -> SplitAssigner.TRAIN.equals(row.split)).map(row -> row.json).returns(Types.STRING)
                .sinkTo(train).setParallelism(1).name("train.jsonl");
        split.filter(row -> SplitAssigner.EVAL.equals(row.split)).map(row -> row.json).returns(Types.STRING)
                .sinkTo(eval).setParallelism(1).name("eval.jsonl");

        DataStream<String> rejectLines = read.getSideOutput(ReadFileFunction.REJECTS)
                .union(unique.getSideOutput(ReadFileFunction.REJECTS))
                .map(ConversationJson::rejectLine)
                .returns(Types.STRING);
        if (nearRejects != null) {
            rejectLines = rejectLines.union(nearRejects);
        }
        rejectLines.sinkTo(rejects).setParallelism(1).name("rejects.jsonl");

        DataStream<DatasetStats> stats = read.getSideOutput(ReadFileFunction.STATS)
                .union(unique.getSideOutput(ReadFileFunction.STATS), split.getSideOutput(ReadFileFunction.STATS));
        if (settings.tokenization().producesTokenIds()) {
            stats = stats.union(sequences(split));
        }
        if (nearStats != null) {
            stats = stats.union(nearStats);
        }
        stats.windowAll(GlobalWindows.createWithEndOfStreamTrigger())
                .process(new ManifestFunction(settings))
                .name("manifest")
                .sinkTo(manifest).setParallelism(1).name("manifest.json");
    }

    /** Packs (or just collects) each split's token ids into training sequences; returns their stats. */
    private DataStream<DatasetStats> sequences(DataStream<PreparedRow> split) {
        if (trainSequences == null || evalSequences == null) {
            throw new IllegalStateException("token ids are requested but no sequence sinks are set");
        }
        SingleOutputStreamOperator<TokenizedSequence> sequences = split
                .keyBy(row -> row.split, Types.STRING)
                .window(GlobalWindows.createWithEndOfStreamTrigger())
                .process(new PackSequencesFunction(settings.tokenization().packMaxSeqLen()))
                .name(settings.tokenization().packMaxSeqLen() > 0 ? "pack into max_seq_len" : "sequences")
                .uid("pack-sequences");
        sequences.filter(seq -> SplitAssigner.TRAIN.equals(seq.split))
                .sinkTo(trainSequences).setParallelism(1).name("train.parquet");
        sequences.filter(seq -> SplitAssigner.EVAL.equals(seq.split))
                .sinkTo(evalSequences).setParallelism(1).name("eval.parquet");
        return sequences.getSideOutput(ReadFileFunction.STATS);
    }

    /** Starts the job and returns at once, so a caller can show progress while it runs. */
    public JobClient executeAsync(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.executeAsync(NAME);
    }

    public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.execute(NAME);
    }

    /** Builds the file-writing job from configuration. */
    public static DatasetPrepJob fromConfiguration(Configuration config) {
        List<String> inputs = config.getOptional(DatasetOptions.INPUTS)
                .orElseThrow(() -> new IllegalArgumentException(DatasetOptions.INPUTS.key() + " is required"));
        String out = config.getOptional(DatasetOptions.OUTPUT_DIR)
                .orElseThrow(() -> new IllegalArgumentException(DatasetOptions.OUTPUT_DIR.key() + " is required"));
        return toFiles(inputs, DatasetOptions.settings(config), Path.of(out));
    }

    /** Entry point for a cluster: {@code --aim.dataset.inputs a.jsonl;b.json --aim.dataset.output-dir out}. */
    public static void main(String[] args) throws Exception {
        Configuration config = dev.aimnext.jobs.guardrails.JobArguments.parse(args);
        fromConfiguration(config).execute(StreamExecutionEnvironment.getExecutionEnvironment());
    }
}
