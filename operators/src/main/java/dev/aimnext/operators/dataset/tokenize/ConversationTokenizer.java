package dev.aimnext.operators.dataset.tokenize;

import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.Role;
import dev.aimnext.operators.dataset.template.CharSpan;
import dev.aimnext.operators.dataset.template.ChatTemplate;
import dev.aimnext.operators.dataset.template.ChatTemplateRenderer;
import dev.aimnext.operators.dataset.template.RenderedConversation;
import dev.aimnext.operators.dataset.validate.TokenCounter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders a conversation with its chat template, counts its tokens and, when asked, produces the
 * token ids and labels a trainer consumes. Without a template the messages are counted one by one;
 * without a tokenizer.json the counts are the four-characters-per-token estimate.
 *
 * <p>Labels follow Transformers: the token id where the loss trains, -100 elsewhere. With
 * {@link LossMask#ASSISTANT} a token trains when it overlaps an assistant span of the rendering,
 * i.e. the assistant's content and its end-of-turn marker, never the header that opens the turn.
 *
 * <p>Holds a native tokenizer: create one per task in {@code open()} and close it in {@code close()}.
 */
public final class ConversationTokenizer implements AutoCloseable {

    private final ChatTemplateRenderer renderer;
    private final HfTokenizerCounter tokenizer;
    private final TokenCounter counter;
    private final LossMask lossMask;
    private final boolean withIds;

    private ConversationTokenizer(ChatTemplateRenderer renderer, HfTokenizerCounter tokenizer, LossMask lossMask,
            boolean withIds) {
        this.renderer = renderer;
        this.tokenizer = tokenizer;
        this.counter = tokenizer != null ? tokenizer : TokenCounter.charEstimate();
        this.lossMask = lossMask;
        this.withIds = withIds;
    }

    /**
     * @param template the chat template, or {@code null}
     * @param tokenizerPath tokenizer.json or a folder holding it, or {@code null} for estimates
     * @param withIds produce token ids and labels; needs both a template and a tokenizer
     * @throws IOException when the tokenizer cannot be loaded
     */
    public static ConversationTokenizer open(ChatTemplate template, Path tokenizerPath, LossMask lossMask, boolean withIds)
            throws IOException {
        if (withIds && (template == null || tokenizerPath == null)) {
            throw new IllegalArgumentException("token ids need both a chat template and a tokenizer.json");
        }
        return new ConversationTokenizer(template == null ? null : new ChatTemplateRenderer(template),
                tokenizerPath == null ? null : HfTokenizerCounter.load(tokenizerPath), lossMask, withIds);
    }

    /** The counter the max-token rule should use, so validation and output agree. */
    public TokenCounter counter() {
        return counter;
    }

    /** Whether counts come from a real tokenizer rather than the estimate. */
    public boolean exactCounts() {
        return tokenizer != null;
    }

    /**
     * @throws dev.aimnext.operators.dataset.template.ChatTemplateException when the template fails,
     *     including a {@code raise_exception} in it (e.g. "roles must alternate")
     */
    public TokenizedConversation tokenize(List<ChatMessage> messages) {
        if (renderer == null) {
            return untemplated(messages);
        }
        RenderedConversation rendered = renderer.renderWithAssistantSpans(messages);
        String text = rendered.text();
        List<CharSpan> spans = rendered.assistantSpans();
        if (tokenizer == null) {
            int loss = lossMask == LossMask.ALL ? counter.count(text)
                    : spans.stream().mapToInt(s -> counter.count(s.of(text))).sum();
            return new TokenizedConversation(text, spans, counter.count(text), loss, null, null);
        }
        HfTokenizerCounter.TokenizedText tokens = tokenizer.tokenize(text, spans);
        int[] ids = tokens.ids();
        int loss = 0;
        int[] labels = withIds ? new int[ids.length] : null;
        for (int t = 0; t < ids.length; t++) {
            boolean trained = lossMask == LossMask.ALL || tokens.mask()[t];
            if (trained) {
                loss++;
            }
            if (labels != null) {
                labels[t] = trained ? ids[t] : TokenizedSequence.IGNORE_INDEX;
            }
        }
        return new TokenizedConversation(text, spans, ids.length, loss, withIds ? ids : null, labels);
    }

    private TokenizedConversation untemplated(List<ChatMessage> messages) {
        int total = 0;
        int loss = 0;
        for (ChatMessage m : messages) {
            int n = counter.count(m.content());
            total += n;
            if (lossMask == LossMask.ALL || (m.role() == Role.ASSISTANT)) {
                loss += n;
            }
        }
        return new TokenizedConversation(null, List.of(), total, loss, null, null);
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
