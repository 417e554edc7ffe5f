package dev.aimnext.operators.guardrails.pii.recognize;

import static dev.aimnext.operators.guardrails.pii.recognize.Spans.at;
import static dev.aimnext.operators.guardrails.pii.recognize.Spans.find;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.guardrails.pii.PiiEntity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** All credentials below are made up or published documentation examples. */
class SecretsRecognizerTest {

    private static final double SCORE = SecretsRecognizer.SCORE;

    private final SecretsRecognizer recognizer = new SecretsRecognizer();

    @Test
    void findsAnAwsAccessKeyId() {
        String text = "Why does aws s3 ls fail with key AKIAIOSFODNN7EXAMPLE in my config?";

        assertThat(find(recognizer, text))
                .containsExactly(at(text, "AKIAIOSFODNN7EXAMPLE", PiiEntity.AWS_ACCESS_KEY, SCORE));
    }

    @Test
    void findsAnAwsSecretKeyNextToItsName() {
        String key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        String ini = "aws_secret_access_key = " + key + "\nregion = eu-west-1";
        String json = "{\"AWS_SECRET_ACCESS_KEY\": \"" + key + "\"}";

        assertThat(find(recognizer, ini)).containsExactly(at(ini, key, PiiEntity.AWS_SECRET_KEY, SCORE));
        assertThat(find(recognizer, json)).containsExactly(at(json, key, PiiEntity.AWS_SECRET_KEY, SCORE));
    }

    @Test
    void anAwsSecretKeyMayEndInASlashOrPlus() {
        String key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE/";
        String text = "aws_secret_access_key=\"" + key + "\"";

        assertThat(find(recognizer, text)).containsExactly(at(text, key, PiiEntity.AWS_SECRET_KEY, SCORE));
        // A 41-character value is not a secret key cut short.
        assertThat(find(recognizer, "aws_secret_access_key=" + key + "Q")).isEmpty();
    }

    @Test
    void findsAGithubToken() {
        String token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
        String text = "Clone with token " + token + " and tell me what is wrong.";

        assertThat(find(recognizer, text)).containsExactly(at(text, token, PiiEntity.GITHUB_TOKEN, SCORE));
    }

    @Test
    void findsASlackBotToken() {
        String token = "xoxb-" + "123456789012-1234567890123-abcdefghijklmnopqrstuvwx";
        String text = "Our bot uses " + token + " but gets not_authed.";

        assertThat(find(recognizer, text)).containsExactly(at(text, token, PiiEntity.SLACK_TOKEN, SCORE));
    }

    @Test
    void findsAJwt() {
        String jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
                + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0"
                + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        String text = "Decode this session token: " + jwt;

        assertThat(find(recognizer, text)).containsExactly(at(text, jwt, PiiEntity.JWT, SCORE));
    }

    @Test
    void findsAGoogleApiKey() {
        String key = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q";
        String text = "maps key=" + key + "&v=3";

        assertThat(key).hasSize(39);
        assertThat(find(recognizer, text)).containsExactly(at(text, key, PiiEntity.GOOGLE_API_KEY, SCORE));
    }

    @Test
    void findsAWholePemPrivateKeyBlock() {
        String block = "-----BEGIN RSA PRIVATE KEY-----\n"
                + "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
                + "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
                + "-----END RSA PRIVATE KEY-----";
        String text = "Is this key valid?\n" + block + "\nThanks!";

        assertThat(find(recognizer, text)).containsExactly(at(text, block, PiiEntity.PRIVATE_KEY, SCORE));
    }

    @Test
    void findsAPemBlockCutOffBeforeItsEndLineWithoutTheProseAfterIt() {
        String truncated = "-----BEGIN PRIVATE KEY-----\n"
                + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
                + "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu";
        String text = "Is this key valid?\n" + truncated + "\nCan you check it for me?";

        assertThat(find(recognizer, text))
                .containsExactly(at(text, truncated, PiiEntity.PRIVATE_KEY, SCORE));
    }

    @Test
    void aTruncatedEncryptedPemBlockKeepsItsHeadersAndShortLastLine() {
        String truncated = "-----BEGIN RSA PRIVATE KEY-----\n"
                + "Proc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,3F17F5316E2BAC89F8F8B1D1C5E2F4A1\n"
                + "\n"
                + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
                + "Zg==";
        String text = truncated + "\nthat is all";

        assertThat(find(recognizer, text))
                .containsExactly(at(text, truncated, PiiEntity.PRIVATE_KEY, SCORE));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "AKIA1234 is too short",
                "akiaiosfodnn7example is lower case",
                "XAKIAIOSFODNN7EXAMPLE is glued to a letter",
                "ghp_tooShort123",
                "the token eyJhbGciOiJIUzI1NiJ9 has no payload",
                "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
                "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----",
                "my aws secret is safe",
                "Slack xox is a prefix, not a token"
            })
    void ignoresLookAlikes(String text) {
        assertThat(find(recognizer, text)).isEmpty();
    }
}
