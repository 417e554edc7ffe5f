package dev.aimnext.operators.dataset.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.Node;
import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders conversations with a HuggingFace chat template through Jinjava, configured as
 * transformers configures Jinja ({@code trim_blocks}, {@code lstrip_blocks}). The template sees
 * {@code messages} (a list of {@code {role, content}} maps with the lower-case role names),
 * {@code add_generation_prompt}, {@code bos_token}, {@code eos_token} and the function
 * {@code raise_exception(msg)}, which aborts with a {@link TemplateRaisedException} carrying the
 * template's message.
 *
 * <p>Thread-safe: Jinjava parses and renders on a fresh interpreter per call. Not serializable;
 * Flink functions should keep the {@link ChatTemplate} and build the renderer in {@code open()}.
 */
public final class ChatTemplateRenderer {

    private final ChatTemplate template;
    private final Jinjava jinjava;
    /** The parsed template, per thread: Jinjava's tree nodes are not documented as shareable. */
    private final ThreadLocal<Node> parsed = new ThreadLocal<>();

    public ChatTemplateRenderer(ChatTemplate template) {
        this.template = Objects.requireNonNull(template, "template");
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withFailOnUnknownTokens(false)
                .build();
        this.jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "raise_exception", TemplateFunctions.class, "raiseException", String.class));
    }

    public static ChatTemplateRenderer of(BuiltInTemplate builtIn) {
        return new ChatTemplateRenderer(builtIn.template());
    }

    public ChatTemplate template() {
        return template;
    }

    /**
     * Renders the conversation.
     *
     * @param addGenerationPrompt whether to append the header that opens an assistant turn
     * @throws TemplateRaisedException when the template calls {@code raise_exception}
     * @throws ChatTemplateException when the template fails to parse or render
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        Map<String, Object> context = new HashMap<>();
        context.put("messages", toMaps(messages));
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", template.bosToken());
        context.put("eos_token", template.eosToken());
        RenderResult result = renderParsed(context);
        for (TemplateError error : result.getErrors()) {
            TemplateRaisedException raised = findRaised(error.getException());
            if (raised != null) {
                throw new TemplateRaisedException(raised.getMessage());
            }
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new ChatTemplateException("chat template '" + template.name() + "' failed at line "
                        + error.getLineno() + ": " + error.getMessage(), error.getException());
            }
        }
        return result.getOutput();
    }

    /**
     * Renders the whole conversation and locates each assistant turn by incremental rendering:
     * the turn starts where the render of the messages before it, with the generation prompt,
     * ends, and it ends where the render of the messages up to and including it ends. Templates
     * that append EOS only after the final message (Phi-3) are handled: when that render is not a
     * prefix of the full one but is once its trailing {@code eos_token} is dropped, the turn ends
     * before that EOS; for the final turn the EOS is part of the full render and of the span.
     *
     * @throws ChatTemplateException when the template is not prefix-stable in this sense, so
     *     spans cannot be derived reliably
     */
    public RenderedConversation renderWithAssistantSpans(List<ChatMessage> messages) {
        String full = render(messages, false);
        List<CharSpan> spans = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role() != Role.ASSISTANT) {
                continue;
            }
            String prompt = render(messages.subList(0, i), true);
            if (!full.startsWith(prompt)) {
                throw new ChatTemplateException("chat template '" + template.name()
                        + "' is not prefix-stable before message " + i + "; cannot derive assistant spans");
            }
            String upTo = render(messages.subList(0, i + 1), false);
            String eos = template.eosToken();
            int end;
            if (full.startsWith(upTo)) {
                end = upTo.length();
            } else if (!eos.isEmpty() && upTo.endsWith(eos)
                    && full.startsWith(upTo.substring(0, upTo.length() - eos.length()))) {
                end = upTo.length() - eos.length();
            } else {
                throw new ChatTemplateException("chat template '" + template.name()
                        + "' renders assistant message " + i + " differently alone than in context; "
                        + "cannot derive its span");
            }
            if (end < prompt.length()) {
                throw new ChatTemplateException("chat template '" + template.name()
                        + "' renders assistant message " + i + " before its own prompt; cannot derive its span");
            }
            spans.add(new CharSpan(i, prompt.length(), end));
        }
        return new RenderedConversation(full, spans);
    }

    /**
     * What {@link Jinjava#renderForResult} does, but with the template's syntax tree parsed once per
     * thread and reused: parsing was most of the cost, and a conversation is rendered once plus twice
     * per assistant turn to find its spans. A tree whose parse reported errors is not kept, so every
     * render reports them.
     */
    private RenderResult renderParsed(Map<String, Object> bindings) {
        Context context = new Context(jinjava.getGlobalContext(), bindings, jinjava.getGlobalConfig().getDisabled());
        JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava, context, jinjava.getGlobalConfig());
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            Node root = parsed.get();
            if (root == null) {
                root = interpreter.parse(template.source());
                if (interpreter.getErrors().isEmpty()) {
                    parsed.set(root);
                }
            }
            String output = interpreter.render(root, true);
            return new RenderResult(output, interpreter.getContext(), interpreter.getErrorsCopy());
        } catch (ChatTemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            TemplateRaisedException raised = findRaised(e);
            if (raised != null) {
                throw new TemplateRaisedException(raised.getMessage());
            }
            throw new ChatTemplateException("chat template '" + template.name() + "' failed: " + e.getMessage(), e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    private static List<Map<String, Object>> toMaps(List<ChatMessage> messages) {
        List<Map<String, Object>> out = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role().wireName());
            map.put("content", m.content());
            out.add(map);
        }
        return out;
    }

    private static TemplateRaisedException findRaised(Throwable t) {
        Throwable cur = t;
        for (int depth = 0; cur != null && depth < 20; depth++) {
            if (cur instanceof TemplateRaisedException raised) {
                return raised;
            }
            cur = cur.getCause();
        }
        return null;
    }
}
