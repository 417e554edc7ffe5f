package dev.aimnext.operators.dataset.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.model.NormalizedConversation;
import dev.aimnext.operators.dataset.model.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactDedupKeyTest {

    private static NormalizedConversation conversation(String user, String assistant) {
        return new NormalizedConversation("r", DatasetFormat.ALPACA,
                List.of(ChatMessage.of(Role.USER, user), ChatMessage.of(Role.ASSISTANT, assistant)), List.of(), null);
    }

    @Test
    void normalizationLowerCasesAndCollapsesWhitespace() {
        assertThat(TextNormalization.normalize("  Hello\t\n  WORLD\u00a0 !  ")).isEqualTo("hello world !");
        assertThat(TextNormalization.normalize(conversation("Hi  there", "Yes\n"))).isEqualTo("user: hi there\nassistant: yes");
    }

    @Test
    void keyIsSha256OfTheNormalizedText() {
        // sha256("abc") from FIPS 180-2.
        assertThat(ExactDedupKey.ofText("  ABC ")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void caseAndSpacingVariantsShareAKeyButRolesAndWordsMatter() {
        String key = ExactDedupKey.of(conversation("What is 2+2?", "It is 4."));

        assertThat(ExactDedupKey.of(conversation("what  is 2+2?\n", "IT IS 4."))).isEqualTo(key);
        assertThat(ExactDedupKey.of(conversation("What is 2+3?", "It is 4."))).isNotEqualTo(key);
        assertThat(ExactDedupKey.of(new NormalizedConversation("r", DatasetFormat.ALPACA, List.of(
                ChatMessage.of(Role.ASSISTANT, "What is 2+2?"), ChatMessage.of(Role.USER, "It is 4.")), List.of(), null)))
                .isNotEqualTo(key);
        assertThat(key).hasSize(64);
    }
}
