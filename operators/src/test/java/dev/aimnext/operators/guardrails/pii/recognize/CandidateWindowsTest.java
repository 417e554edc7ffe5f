package dev.aimnext.operators.guardrails.pii.recognize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

class CandidateWindowsTest {

    private static List<String> windows(String text, BiConsumer<String, CandidateWindows.Sink> scan) {
        List<String> out = new ArrayList<>();
        scan.accept(text, (from, to) -> out.add(text.substring(from, to)));
        return out;
    }

    @Test
    void numericRunsAreTrimmedAndNeedEnoughDigits() {
        String text = "Call (650) 253-0000 - or 12 34, or +44 20 7946 0958.";

        assertThat(windows(text, (t, sink) -> CandidateWindows.numericRuns(t, 7, sink)))
                .containsExactly("(650) 253-0000", "+44 20 7946 0958");
        assertThat(windows(text, (t, sink) -> CandidateWindows.numericRuns(t, 4, sink)))
                .containsExactly("(650) 253-0000", "12 34", "+44 20 7946 0958");
    }

    @Test
    void proseWithoutDigitsHasNoNumericWindow() {
        assertThat(windows("No numbers - at all (really).", (t, sink) -> CandidateWindows.numericRuns(t, 1, sink)))
                .isEmpty();
    }

    @Test
    void aroundAtCoversTheAddressCharactersOnBothSides() {
        String text = "Write to <jane.doe@example.com> or @team, not a@ b";

        assertThat(windows(text, CandidateWindows::aroundAt)).containsExactly("jane.doe@example.com");
    }

    @Test
    void ibanStartsNeedTwoLettersOfOneCaseAndTwoDigits() {
        String text = "IBAN DE89 3704 0044 0532 0130 00, or gb82west12345698765432; not Ab12 or XDE89";

        assertThat(windows(text, (t, sink) -> CandidateWindows.ibanStarts(t, 45, sink)))
                .containsExactly("DE89 3704 0044 0532 0130 00", "gb82west12345698765432");
    }

    @Test
    void hexColonRunsNeedTwoColons() {
        String text = "at 12:30 or 2001:db8::1 and std::vector";

        assertThat(windows(text, CandidateWindows::hexColonRuns)).containsExactly("2001:db8::1", "d::");
    }
}
