package dev.aimnext.operators.guardrails.pii;

import java.util.Locale;

/**
 * Entity types the PII guardrail detects. Names follow Presidio, so evaluation data and user
 * policies written for Presidio line up. Secret kinds share the {@link Family#SECRET} family, so a
 * policy can set one action for all of them.
 */
public enum PiiEntity {
    EMAIL_ADDRESS(Family.PII),
    PHONE_NUMBER(Family.PII),
    CREDIT_CARD(Family.PII),
    US_SSN(Family.PII),
    IBAN_CODE(Family.PII),
    IP_ADDRESS(Family.PII),
    /** Named entities from a token-classification pack (see {@code recognize.NamedEntityRecognizer}); off by default. */
    PERSON(Family.PII),
    LOCATION(Family.PII),
    ORGANIZATION(Family.PII),
    /** A street address (house number, street, postcode), as the NER pack tags it. */
    ADDRESS(Family.PII),
    AWS_ACCESS_KEY(Family.SECRET),
    AWS_SECRET_KEY(Family.SECRET),
    GITHUB_TOKEN(Family.SECRET),
    SLACK_TOKEN(Family.SECRET),
    GOOGLE_API_KEY(Family.SECRET),
    STRIPE_KEY(Family.SECRET),
    JWT(Family.SECRET),
    PRIVATE_KEY(Family.SECRET);

    /** Groups of entities that a policy may address by one name. */
    public enum Family {
        PII,
        SECRET
    }

    private final Family family;

    PiiEntity(Family family) {
        this.family = family;
    }

    public Family family() {
        return family;
    }

    /** Parses a policy key, case-insensitively, with a clear error listing the valid names. */
    public static PiiEntity parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown PII entity type '"
                            + name
                            + "'; expected one of "
                            + java.util.Arrays.toString(values())
                            + " or SECRET");
        }
    }
}
