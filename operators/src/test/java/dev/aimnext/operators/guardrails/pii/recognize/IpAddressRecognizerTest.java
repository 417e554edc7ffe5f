package dev.aimnext.operators.guardrails.pii.recognize;

import static dev.aimnext.operators.guardrails.pii.recognize.Spans.at;
import static dev.aimnext.operators.guardrails.pii.recognize.Spans.find;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressRecognizerTest {

    private final IpAddressRecognizer recognizer = new IpAddressRecognizer();

    private static PiiSpan ip(String text, String value) {
        return at(text, value, PiiEntity.IP_ADDRESS, IpAddressRecognizer.SCORE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.10", "10.0.0.1", "255.255.255.255", "0.0.0.0", "8.8.8.8"})
    void findsIpv4Addresses(String address) {
        String text = "The server at " + address + " keeps timing out";

        assertThat(find(recognizer, text)).containsExactly(ip(text, address));
    }

    @Test
    void leavesSentencePunctuationOut() {
        String text = "Connect to 10.1.2.3. Then ping (172.16.0.1), done";

        assertThat(find(recognizer, text))
                .containsExactly(ip(text, "10.1.2.3"), ip(text, "172.16.0.1"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Upgrade to version 10.2.0.1 today",
                "Running release 4.8.0.12 now",
                "Built with v1.2.3.4 of the SDK",
                "The tag 1.2.3.4.5 is old",
                "See section 1.2.3.4.",
                "Octets 256.1.1.1 are too big",
                "Zero-padded 01.2.3.4 is not an address",
                "A serial 1234.5678.9012.3456 here",
                "Pi is 3.14159"
            })
    void rejectsVersionStringsAndMalformedQuads(String text) {
        assertThat(find(recognizer, text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2001:db8::8a2e:370:7334",
                "fe80::1ff:fe23:4567:890a",
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                "2001:DB8:0:0:8:800:200C:417A",
                "2001:db8::"
            })
    void findsIpv6Addresses(String address) {
        String text = "Block " + address + " at the edge";

        assertThat(find(recognizer, text)).containsExactly(ip(text, address));
    }

    @Test
    void findsIpv6WithAnEmbeddedIpv4Tail() {
        String text = "mapped ::ffff:192.0.2.128 here";

        // The v4 tail is also a candidate; the analyzer keeps the longer span.
        assertThat(find(recognizer, text))
                .contains(ip(text, "::ffff:192.0.2.128"))
                .allSatisfy(span -> assertThat(span.end()).isEqualTo(text.indexOf(" here")));
    }

    @Test
    void aTrailingColonIsPunctuation() {
        String text = "Address 2001:db8::8a2e:370:7334: block it";

        assertThat(find(recognizer, text)).containsExactly(ip(text, "2001:db8::8a2e:370:7334"));
    }

    @Test
    void needsTwoWrittenGroupsSoLoopbackShorthandIsNotReported() {
        // The recognizer promises at least two written groups (to skip "a::" fragments of code),
        // so the loopback shorthand ::1 is deliberately not an address here.
        assertThat(find(recognizer, "ping ::1 now")).isEmpty();
        assertThat(IpAddressRecognizer.isIpv6("::1")).isFalse();
        assertThat(IpAddressRecognizer.isIpv6("fe80::1")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "use std::vector here",
                "call Foo::bar() twice",
                "the Bad::Dead path",
                "at 12:30:45 today",
                "at 10:30 today",
                "mac 00:1A:2B:3C:4D:5E",
                "1:2:3:4:5:6:7:8:9",
                "2001:db8::1::2",
                "2001:db8:0:0:0:0:0:12345"
            })
    void rejectsCodeTimesAndMalformedIpv6(String text) {
        assertThat(find(recognizer, text)).isEmpty();
    }

    @Test
    void validOctetsChecksRangeAndLeadingZeros() {
        assertThat(IpAddressRecognizer.validOctets("192.168.0.1")).isTrue();
        assertThat(IpAddressRecognizer.validOctets("192.168.0")).isFalse();
        assertThat(IpAddressRecognizer.validOctets("192.168.0.256")).isFalse();
        assertThat(IpAddressRecognizer.validOctets("192.168.00.1")).isFalse();
        assertThat(IpAddressRecognizer.validOctets("192.168..1")).isFalse();
    }
}
