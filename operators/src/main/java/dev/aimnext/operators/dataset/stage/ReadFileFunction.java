package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.dedup.ExactDedupKey;
import dev.aimnext.operators.dataset.dedup.MinHasher;
import dev.aimnext.operators.dataset.dedup.Shingler;
import dev.aimnext.operators.dataset.dedup.TextNormalization;
import dev.aimnext.operators.dataset.format.ConversationNormalizer;
import dev.aimnext.operators.dataset.format.FileFormatDetector;
import dev.aimnext.operators.dataset.format.UnrecognizedFormatException;
import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.model.NormalizedConversation;
import dev.aimnext.operators.dataset.read.DatasetFileReader;
import dev.aimnext.operators.dataset.read.InputLocation;
import dev.aimnext.operators.dataset.template.ChatTemplateException;
import dev.aimnext.operators.dataset.tokenize.ConversationTokenizer;
import dev.aimnext.operators.dataset.tokenize.TokenizedConversation;
import dev.aimnext.operators.dataset.read.SourceRow;
import dev.aimnext.operators.dataset.validate.RowValidator;
import dev.aimnext.operators.dataset.validate.ValidationResult;
import dev.aimnext.operators.dataset.validate.Violation;
import dev.aimnext.operators.guardrails.pii.PiiGuardrail;
import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailFinding;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one input file (the element is its path) and emits every row that passes validation, PII
 * scrubbed, as a {@link PreparedRow}. Every other row goes to {@link #REJECTS} with its reason codes
 * and position-only messages; one {@link DatasetStats} per file goes to {@link #STATS}.
 *
 * <p>The format is decided per file by {@link FileFormatDetector} (or forced by the settings). A
 * file whose format cannot be recognized is one reject, so the rest of the input is still prepared.
 * Files are the unit of parallelism: each one is streamed by a single task, one row in memory.
 */
public class ReadFileFunction extends ProcessFunction<String, PreparedRow> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DatasetReject> REJECTS =
            new OutputTag<>("dataset-rejects", TypeInformation.of(DatasetReject.class));
    public static final OutputTag<DatasetStats> STATS =
            new OutputTag<>("dataset-stats", TypeInformation.of(DatasetStats.class));

    private final PrepSettings settings;

    /** Rows read so far, summed over tasks: what {@code aim prepare} shows as progress while the job runs. */
    public static final String ROWS_READ = "aim-dataset-rows-read";

    private transient LongCounter rowsRead;
    private transient ConversationTokenizer tokenizer;
    private transient RowValidator validator;
    private transient PiiGuardrail pii;
    private transient MinHasher minHasher;
    private transient Shingler shingler;

    public ReadFileFunction(PrepSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) throws IOException {
        tokenizer = openTokenizer(settings.tokenization());
        rowsRead = rowsReadCounter();
        RowValidator.Builder builder = RowValidator.builder();
        if (settings.maxTokens() > 0) {
            builder.maxTokens(tokenizer.counter(), settings.maxTokens(), settings.overLength());
        }
        validator = builder.build();
        pii = settings.piiScrub() ? new PiiGuardrail(settings.pii().policy(), System::getenv) : null;
        if (settings.nearDupEnabled()) {
            minHasher = new MinHasher(PrepSettings.NUM_HASHES, PrepSettings.MINHASH_SEED);
            shingler = nearDupShingler();
        }
    }

    private LongCounter rowsReadCounter() {
        try {
            return getRuntimeContext().getLongCounter(ROWS_READ);
        } catch (IllegalStateException notInATask) {
            // Called directly (unit tests): there is no job to report progress to.
            return new LongCounter();
        }
    }

    /** The tokenizer the settings ask for; one per task because it holds a native handle. */
    private static ConversationTokenizer openTokenizer(TokenizationSettings t) throws IOException {
        return ConversationTokenizer.open(t.chatTemplate(), t.tokenizerPath() == null ? null : Path.of(t.tokenizerPath()),
                t.lossMask(), t.producesTokenIds());
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    /** Word 5-grams, as text-dedup and datasketch examples use for prose and chat. */
    public static Shingler nearDupShingler() {
        return Shingler.words(5);
    }

    @Override
    public void processElement(String path, Context ctx, Collector<PreparedRow> out) throws IOException {
        InputLocation location;
        try {
            location = InputLocation.resolve(path);
        } catch (IOException e) {
            rejectFile(ctx, path.substring(path.lastIndexOf('/') + 1), DatasetReject.UNREADABLE_INPUT, e.getMessage());
            return;
        }
        try (location) {
            readFile(location.file(), ctx, out);
        }
    }

    private void readFile(Path file, Context ctx, Collector<PreparedRow> out) throws IOException {
        String fileName = file.getFileName().toString();
        DatasetStats stats = new DatasetStats();
        FileFormatDetector detector = settings.formatOverride() != null
                ? FileFormatDetector.forced(settings.formatOverride())
                : FileFormatDetector.automatic();
        DatasetFormat format;
        try (DatasetFileReader sample = DatasetFileReader.open(file)) {
            format = detector.detect(fileName, sample);
        } catch (UnrecognizedFormatException e) {
            rejectFile(ctx, fileName, DatasetReject.UNRECOGNIZED_FORMAT, e.getMessage());
            return;
        }
        ConversationNormalizer normalizer = ConversationNormalizer.forFormat(format);
        try (DatasetFileReader rows = DatasetFileReader.open(file)) {
            while (rows.hasNext()) {
                SourceRow row = rows.next();
                stats.rowsIn++;
                rowsRead.add(1L);
                ValidationResult result = validator.validate(row, normalizer);
                if (!result.accepted()) {
                    reject(ctx, stats, fileName, row.rowId(),
                            result.reasons().stream().map(r -> r.code()).toList(),
                            result.violations().stream().map(Violation::message).toList());
                    continue;
                }
                prepare(result.conversation(), fileName, stats, ctx, out);
            }
        }
        ctx.output(STATS, stats);
    }

    private void prepare(NormalizedConversation conversation, String fileName, DatasetStats stats, Context ctx,
            Collector<PreparedRow> out) {
        PreparedRow row = new PreparedRow();
        row.rowId = conversation.rowId();
        NormalizedConversation clean = conversation;
        if (pii != null) {
            List<String> blocked = new ArrayList<>();
            List<ChatMessage> messages = scrub(conversation.messages(), "message", row.piiFound, blocked);
            List<ChatMessage> rejected = scrub(conversation.rejected(), "rejected message", row.piiFound, blocked);
            if (!blocked.isEmpty()) {
                reject(ctx, stats, fileName, row.rowId, List.of(DatasetReject.PII_BLOCKED), blocked);
                return;
            }
            if (settings.pii().dropRows() && !row.piiFound.isEmpty()) {
                // Types and counts only: the values must not reach the rejects file.
                reject(ctx, stats, fileName, row.rowId, List.of(DatasetReject.PII_FOUND),
                        List.of("PII found: " + new java.util.TreeMap<>(row.piiFound)));
                return;
            }
            clean = new NormalizedConversation(conversation.rowId(), conversation.sourceFormat(), messages, rejected,
                    conversation.toolsJson());
            for (Map.Entry<String, Integer> e : row.piiFound.entrySet()) {
                stats.piiByType.merge(e.getKey(), e.getValue().longValue(), Long::sum);
            }
        }
        TokenizedConversation tokenized;
        try {
            tokenized = tokenizer.tokenize(clean.messages());
        } catch (ChatTemplateException e) {
            // The template's own message (e.g. "Conversation roles must alternate") names the rule, not the text.
            reject(ctx, stats, fileName, row.rowId, List.of(DatasetReject.TEMPLATE_ERROR), List.of(e.getMessage()));
            return;
        }
        int maxSeqLen = settings.tokenization().packMaxSeqLen();
        if (maxSeqLen > 0 && tokenized.tokens() > maxSeqLen) {
            reject(ctx, stats, fileName, row.rowId, List.of(DatasetReject.OVER_MAX_SEQ_LEN), List.of(
                    "rendered conversation: " + tokenized.tokens() + " tokens, over the packing max_seq_len of " + maxSeqLen));
            return;
        }
        row.tokens = tokenized.tokens();
        row.lossTokens = tokenized.lossTokens();
        row.inputIds = tokenized.inputIds();
        row.labels = tokenized.labels();
        String normalized = TextNormalization.normalize(clean);
        row.exactKey = ExactDedupKey.ofNormalized(normalized);
        row.json = ConversationJson.line(clean, tokenized);
        if (minHasher != null) {
            // Shingles run across message boundaries: the line breaks between messages count as spaces.
            row.signature = minHasher.signature(shingler.shinglesOfNormalized(normalized.replace('\n', ' ')));
        }
        out.collect(row);
    }

    private List<ChatMessage> scrub(List<ChatMessage> messages, String label, Map<String, Integer> found,
            List<String> blocked) {
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            PiiGuardrail.TextOutcome outcome = pii.checkText(m.content(), "default");
            for (GuardrailFinding f : outcome.findings()) {
                found.merge(f.getType(), 1, Integer::sum);
            }
            if (outcome.action() == GuardrailAction.BLOCK) {
                blocked.add(label + " " + (i + 1) + ": the PII policy blocks it");
            }
            out.add(new ChatMessage(m.role(), outcome.text(), m.weight(), m.toolCall()));
        }
        return out;
    }

    /**
     * One reject for a whole file that could not be read. It counts under its reason but not as a
     * rejected row, since none of its rows were read (rows_in stays the sum of the outcomes).
     */
    private static void rejectFile(Context ctx, String fileName, String reason, String message) {
        ctx.output(REJECTS, DatasetReject.of(fileName, fileName, List.of(reason), List.of(message)));
        DatasetStats stats = new DatasetStats();
        stats.rejectedByReason.merge(reason, 1L, Long::sum);
        ctx.output(STATS, stats);
    }

    private static void reject(Context ctx, DatasetStats stats, String fileName, String rowId, List<String> reasons,
            List<String> messages) {
        ctx.output(REJECTS, DatasetReject.of(fileName, rowId, reasons, messages));
        stats.rejectedRows++;
        for (String reason : reasons) {
            stats.rejectedByReason.merge(reason, 1L, Long::sum);
        }
    }
}
