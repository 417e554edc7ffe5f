package dev.aimnext.operators.dataset.validate;

/**
 * Why a row was rejected. The codes are stable: they key the rejects file and the manifest's
 * "rejected by reason" counts, so renaming one breaks dashboards and comparisons between runs.
 * Where OpenAI's fine-tuning data check has the same test, the code is OpenAI's name for it, so
 * users who know that script recognize the reasons.
 */
public enum ReasonCode {
    MALFORMED_JSON("malformed_json"),
    NOT_AN_OBJECT("data_type"),
    MISSING_MESSAGES("missing_messages_list"),
    MESSAGE_MISSING_KEY("message_missing_key"),
    UNRECOGNIZED_KEY("message_unrecognized_key"),
    UNRECOGNIZED_ROLE("unrecognized_role"),
    MISSING_CONTENT("missing_content"),
    NO_ASSISTANT_MESSAGE("example_missing_assistant_message"),
    ROLES_NOT_ALTERNATING("roles_not_alternating"),
    ENDS_ON_USER_TURN("ends_on_user_turn"),
    EMPTY_TEXT("empty_text"),
    OVER_MAX_TOKENS("over_max_tokens");

    private final String code;

    ReasonCode(String code) {
        this.code = code;
    }

    /** The stable code written to rejects and the manifest. */
    public String code() {
        return code;
    }
}
