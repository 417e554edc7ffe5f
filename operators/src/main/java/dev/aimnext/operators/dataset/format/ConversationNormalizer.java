package dev.aimnext.operators.dataset.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimnext.operators.dataset.model.DatasetFormat;

/**
 * Maps one raw row of a known format to messages. Implementations are stateless and never throw on
 * malformed rows; they record what is wrong in the {@link ConversationDraft} so that the validator
 * can reject the row with a reason instead of the job failing.
 */
public interface ConversationNormalizer {

    DatasetFormat format();

    /**
     * @param rowId where the row came from, carried into the draft
     * @param row the parsed row; may be any JSON value
     */
    ConversationDraft normalize(String rowId, JsonNode row);

    /** The normalizer for a format. */
    static ConversationNormalizer forFormat(DatasetFormat format) {
        return switch (format) {
            case ALPACA -> new AlpacaNormalizer();
            case SHAREGPT -> new ShareGptNormalizer();
            case OPENAI_MESSAGES -> new OpenAiMessagesNormalizer();
            case COMPLETION -> new CompletionNormalizer();
            case PREFERENCE -> new PreferenceNormalizer();
        };
    }
}
