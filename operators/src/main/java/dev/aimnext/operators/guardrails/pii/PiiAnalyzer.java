package dev.aimnext.operators.guardrails.pii;

import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.pii.recognize.ContextWords;
import dev.aimnext.operators.guardrails.pii.recognize.CreditCardRecognizer;
import dev.aimnext.operators.guardrails.pii.recognize.EmailRecognizer;
import dev.aimnext.operators.guardrails.pii.recognize.IbanRecognizer;
import dev.aimnext.operators.guardrails.pii.recognize.IpAddressRecognizer;
import dev.aimnext.operators.guardrails.pii.recognize.NamedEntityMerge;
import dev.aimnext.operators.guardrails.pii.recognize.NamedEntityRecognizer;
import dev.aimnext.operators.guardrails.pii.recognize.PhoneNumberRecognizer;
import dev.aimnext.operators.guardrails.pii.recognize.Recognizer;
import dev.aimnext.operators.guardrails.pii.recognize.SecretsRecognizer;
import dev.aimnext.operators.guardrails.pii.recognize.UsSsnRecognizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs every recognizer over a text, raises the score of candidates preceded by context words,
 * drops those under the threshold and resolves overlaps. Thread-safe once built.
 */
public final class PiiAnalyzer {

    /** Presidio's context enhancement: a context word adds this much, up to 1.0. */
    static final double CONTEXT_BOOST = 0.35;

    private static final Map<PiiEntity, Set<String>> CONTEXT = contextWords();

    private final List<Recognizer> recognizers;
    private final double threshold;
    private final int contextWindowWords;
    /** Off (null) unless a NER pack is configured: see {@link #withNamedEntities}. */
    private final NamedEntityRecognizer namedEntities;

    public PiiAnalyzer(List<Recognizer> recognizers, double threshold, int contextWindowWords) {
        this(recognizers, threshold, contextWindowWords, null);
    }

    private PiiAnalyzer(List<Recognizer> recognizers, double threshold, int contextWindowWords,
                        NamedEntityRecognizer namedEntities) {
        this.recognizers = List.copyOf(recognizers);
        this.threshold = threshold;
        this.contextWindowWords = contextWindowWords;
        this.namedEntities = namedEntities;
    }

    /**
     * The same analyzer plus named entities (person, location, organisation, address) from a NER
     * pack, held to the same threshold. Pattern spans win where the two overlap
     * ({@link NamedEntityMerge}).
     */
    public PiiAnalyzer withNamedEntities(NamedEntityRecognizer recognizer) {
        return new PiiAnalyzer(recognizers, threshold, contextWindowWords, recognizer);
    }

    /** All built-in recognizers, configured by the policy. */
    public static PiiAnalyzer fromPolicy(PiiPolicy policy) {
        return new PiiAnalyzer(
                List.of(
                        new EmailRecognizer(),
                        new PhoneNumberRecognizer(policy.phoneRegions()),
                        new CreditCardRecognizer(),
                        new UsSsnRecognizer(),
                        new IbanRecognizer(),
                        new IpAddressRecognizer(),
                        new SecretsRecognizer()),
                policy.threshold(),
                policy.contextWindowWords());
    }

    /** Accepted spans, non-overlapping, ordered by start. */
    public List<PiiSpan> analyze(String text) {
        List<PiiSpan> patterns = analyzePatterns(text);
        if (namedEntities == null || text == null || text.isEmpty()) {
            return patterns;
        }
        List<PiiSpan> entities = new ArrayList<>();
        namedEntities.find(text, entities);
        entities.removeIf(s -> s.score() < threshold);
        return NamedEntityMerge.merge(text, patterns, entities);
    }

    private List<PiiSpan> analyzePatterns(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<PiiSpan> candidates = new ArrayList<>();
        for (Recognizer recognizer : recognizers) {
            recognizer.find(text, candidates);
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<PiiSpan> accepted = new ArrayList<>(candidates.size());
        for (PiiSpan candidate : candidates) {
            PiiSpan scored = withContext(text, candidate);
            if (scored.score() >= threshold) {
                accepted.add(scored);
            }
        }
        return SpanMerger.resolve(accepted);
    }

    private PiiSpan withContext(String text, PiiSpan span) {
        Set<String> words = CONTEXT.get(span.entity());
        if (words == null || span.score() >= 1.0) {
            return span;
        }
        if (ContextWords.anyBefore(text, span.start(), contextWindowWords, words)) {
            return span.withScore(Math.min(1.0, span.score() + CONTEXT_BOOST));
        }
        return span;
    }

    private static Map<PiiEntity, Set<String>> contextWords() {
        Map<PiiEntity, Set<String>> words = new EnumMap<>(PiiEntity.class);
        words.put(PiiEntity.EMAIL_ADDRESS, Set.of("email", "mail", "e", "contact", "address"));
        words.put(
                PiiEntity.PHONE_NUMBER,
                Set.of("phone", "call", "tel", "telephone", "mobile", "cell", "fax", "contact",
                        "reach", "number", "dial", "text", "whatsapp", "sms"));
        words.put(PiiEntity.CREDIT_CARD, Set.of("card", "cards", "credit", "debit", "cc", "visa",
                "mastercard", "maestro", "amex", "payment", "pan"));
        words.put(PiiEntity.US_SSN, Set.of("ssn", "ssns", "social", "security", "ss", "ssa"));
        words.put(PiiEntity.IP_ADDRESS, Set.of("ip", "ipv", "address", "host", "server", "gateway",
                "dns", "ping", "connect", "subnet"));
        return words;
    }

    /** Overlapping spans keep the higher score; on a tie the longer span wins. */
    static final class SpanMerger {

        private static final Comparator<PiiSpan> PRIORITY =
                Comparator.comparingDouble(PiiSpan::score)
                        .reversed()
                        .thenComparing(Comparator.comparingInt(PiiSpan::length).reversed())
                        .thenComparingInt(PiiSpan::start);

        private SpanMerger() {}

        static List<PiiSpan> resolve(List<PiiSpan> spans) {
            if (spans.size() <= 1) {
                return spans;
            }
            List<PiiSpan> byPriority = new ArrayList<>(spans);
            byPriority.sort(PRIORITY);
            List<PiiSpan> kept = new ArrayList<>(spans.size());
            for (PiiSpan span : byPriority) {
                boolean free = true;
                for (PiiSpan other : kept) {
                    if (span.overlaps(other)) {
                        free = false;
                        break;
                    }
                }
                if (free) {
                    kept.add(span);
                }
            }
            kept.sort(Comparator.comparingInt(PiiSpan::start));
            return kept;
        }
    }
}
