package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.List;

/**
 * Credentials with a recognisable shape: AWS access key ids (and secret keys next to their
 * variable name), GitHub, Slack, Google and Stripe tokens, JWTs and PEM private-key blocks. Each
 * rule has literal prefixes, so the pattern only runs when a prefix occurs in the text.
 */
public final class SecretsRecognizer implements Recognizer {

    static final double SCORE = 0.95;

    private record Rule(PiiEntity entity, String[] prefixes, Pattern pattern, int group) {}

    private static final String PEM_KIND = "(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?";
    private static final String PEM_BEGIN =
            "-----BEGIN " + PEM_KIND + "PRIVATE KEY(?: BLOCK)?-----";

    private static final List<Rule> RULES =
            List.of(
                    rule(PiiEntity.AWS_ACCESS_KEY, "\\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\\b", 0,
                            "AKIA", "ASIA", "ABIA", "ACCA"),
                    // Secret keys are base64 and may end in '/' or '+', where no word boundary
                    // holds; the key must simply not run on.
                    rule(PiiEntity.AWS_SECRET_KEY,
                            "(?i:aws_?secret_?access_?key|aws_?secret)[\"']?\\s*[:=]\\s*[\"']?"
                                    + "([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)", 1,
                            "secret", "SECRET", "Secret"),
                    rule(PiiEntity.GITHUB_TOKEN,
                            "\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\\b|\\bgithub_pat_[A-Za-z0-9_]{60,255}",
                            0, "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
                    rule(PiiEntity.SLACK_TOKEN,
                            "\\bxox[abposr]-[A-Za-z0-9\\-]{10,250}"
                                    + "|https://hooks\\.slack\\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+",
                            0, "xox", "hooks.slack.com"),
                    rule(PiiEntity.GOOGLE_API_KEY, "\\bAIza[0-9A-Za-z_\\-]{35}", 0, "AIza"),
                    rule(PiiEntity.STRIPE_KEY, "\\b(?:sk|rk)_live_[0-9A-Za-z]{24,99}", 0, "_live_"),
                    rule(PiiEntity.JWT,
                            "\\beyJ[A-Za-z0-9_\\-]{5,}\\.eyJ[A-Za-z0-9_\\-]{5,}\\.[A-Za-z0-9_\\-]{10,}",
                            0, "eyJ"),
                    // A block cut off before its END line still leaks the key material: it runs
                    // over the armour headers and the base64 chunks that follow, but not over the
                    // prose after them.
                    rule(PiiEntity.PRIVATE_KEY,
                            PEM_BEGIN + "(?s:.*?)-----END " + PEM_KIND
                                    + "PRIVATE KEY(?: BLOCK)?-----"
                                    + "|" + PEM_BEGIN
                                    + "(?:\\s+(?:Proc-Type|DEK-Info|Version|Comment): [^\\r\\n]*)*"
                                    + "(?:\\s+(?:[A-Za-z0-9+/]{16,}={0,2}"
                                    + "|[A-Za-z0-9+/]{1,15}={1,2}))*",
                            0, "PRIVATE KEY"));

    private static Rule rule(PiiEntity entity, String regex, int group, String... prefixes) {
        return new Rule(entity, prefixes, Pattern.compile(regex), group);
    }

    @Override
    public void find(String text, List<PiiSpan> out) {
        for (Rule rule : RULES) {
            if (!containsAny(text, rule.prefixes())) {
                continue;
            }
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                int start = m.start(rule.group());
                int end = m.end(rule.group());
                if (end > start) {
                    out.add(new PiiSpan(rule.entity(), start, end, SCORE));
                }
            }
        }
    }

    private static boolean containsAny(String text, String[] prefixes) {
        for (String prefix : prefixes) {
            if (text.contains(prefix)) {
                return true;
            }
        }
        return false;
    }
}
