package dev.aimnext.jobs.demo;

import java.math.BigInteger;
import java.util.Random;

/**
 * Synthetic but valid PII values for demo traffic and tests: card numbers with a correct Luhn digit,
 * SSNs that follow the SSA rules, IBANs with correct mod-97 check digits, and phone numbers in
 * fictional ranges. None of them belongs to anyone.
 */
public final class SyntheticPii {

    private static final String[] FIRST = {"alex", "maria", "jun", "priya", "omar", "lena", "sam", "ines"};
    private static final String[] DOMAINS = {"example.com", "example.org", "mail.example.net", "corp.example"};
    private static final String[] PHONES = {
        "(212) 555-01%02d", "+1 415-555-01%02d", "+44 20 7946 09%02d", "+49 30 901820%02d", "415.555.01%02d"
    };

    private final Random random;

    public SyntheticPii(Random random) {
        this.random = random;
    }

    public String email() {
        return FIRST[random.nextInt(FIRST.length)] + "." + (100 + random.nextInt(900)) + "@"
                + DOMAINS[random.nextInt(DOMAINS.length)];
    }

    public String phone() {
        return String.format(PHONES[random.nextInt(PHONES.length)], random.nextInt(100));
    }

    /** A Visa-style 16-digit number with a valid Luhn check digit, grouped by four. */
    public String creditCard() {
        StringBuilder digits = new StringBuilder("4");
        while (digits.length() < 15) {
            digits.append(random.nextInt(10));
        }
        digits.append(luhnCheckDigit(digits.toString()));
        return digits.substring(0, 4) + " " + digits.substring(4, 8) + " " + digits.substring(8, 12)
                + " " + digits.substring(12);
    }

    /** A Luhn-invalid card-shaped number: the right shape, the wrong check digit. */
    public String invalidCreditCard() {
        String valid = creditCard();
        char last = valid.charAt(valid.length() - 1);
        char wrong = (char) ('0' + ((last - '0' + 1 + random.nextInt(8)) % 10));
        return valid.substring(0, valid.length() - 1) + wrong;
    }

    public String ssn() {
        int area;
        do {
            area = 1 + random.nextInt(899);
        } while (area == 666);
        return String.format("%03d-%02d-%04d", area, 1 + random.nextInt(99), 1 + random.nextInt(9999));
    }

    /** A German IBAN with correct check digits. */
    public String iban() {
        StringBuilder bban = new StringBuilder();
        for (int i = 0; i < 18; i++) {
            bban.append(random.nextInt(10));
        }
        // ISO 7064: move "DE00" to the end, letters to numbers (D=13, E=14), check = 98 - mod 97.
        BigInteger number = new BigInteger(bban + "131400");
        int check = 98 - number.mod(BigInteger.valueOf(97)).intValue();
        String iban = "DE" + String.format("%02d", check) + bban;
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < iban.length(); i += 4) {
            if (i > 0) {
                grouped.append(' ');
            }
            grouped.append(iban, i, Math.min(i + 4, iban.length()));
        }
        return grouped.toString();
    }

    public String ipv4() {
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    public String ipv6() {
        return String.format("2001:db8:%x:%x::%x", random.nextInt(0xffff), random.nextInt(0xffff),
                1 + random.nextInt(0xfffe));
    }

    public String awsAccessKey() {
        return "AKIA" + randomChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
    }

    public String githubToken() {
        return "ghp_" + randomChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36);
    }

    public String slackToken() {
        return "xoxb-" + (100000000 + random.nextInt(899999999)) + "-" + randomChars("abcdefghijklmnop0123456789", 24);
    }

    public String jwt() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return "eyJhbGciOiJIUzI1NiJ9.eyJ" + randomChars(alphabet, 30) + "." + randomChars(alphabet, 43);
    }

    public String privateKey() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        return "-----BEGIN RSA PRIVATE KEY-----\n" + randomChars(alphabet, 64) + "\n"
                + randomChars(alphabet, 64) + "\n-----END RSA PRIVATE KEY-----";
    }

    private String randomChars(String alphabet, int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    static int luhnCheckDigit(String payload) {
        int sum = 0;
        boolean doubleIt = true;
        for (int i = payload.length() - 1; i >= 0; i--) {
            int d = payload.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }
}
