package dev.aimnext.operators.qos.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aimnext.operators.qos.placement.Priority;
import org.junit.jupiter.api.Test;

import java.util.Map;

class PlanParametersTest {

    @Test
    void parsesEachKeyAndFallsBackWhereOptional() {
        assertThat(PlanParameters.priority(Map.of("priority", " Low "))).isEqualTo(Priority.LOW);
        assertThat(PlanParameters.maxInFlight(Map.of("maxInFlight", "12"))).isEqualTo(12);
        assertThat(PlanParameters.maxInFlight(Map.of("maxInFlight", "unlimited"))).isEqualTo(Integer.MAX_VALUE);
        assertThat(PlanParameters.kvBudgetBytes(Map.of("kvBudgetBytes", "1073741824"))).isEqualTo(1L << 30);
        assertThat(PlanParameters.kvBudgetBytes(Map.of(), 5)).isEqualTo(5);
        assertThat(PlanParameters.downtimeMs(Map.of("downtimeMs", "250"), 10_000)).isEqualTo(250);
        assertThat(PlanParameters.downtimeMs(Map.of(), 10_000)).isEqualTo(10_000);
    }

    @Test
    void badValuesSayWhichKeyAndWhy() {
        assertThatThrownBy(() -> PlanParameters.kvBudgetBytes(Map.of("kvBudgetBytes", "12GiB")))
                .hasMessage("parameter 'kvBudgetBytes' must be a whole number, was '12GiB'");
        assertThatThrownBy(() -> PlanParameters.maxInFlight(Map.of())).hasMessage("parameter 'maxInFlight' is missing");
        assertThatThrownBy(() -> PlanParameters.downtimeMs(Map.of("downtimeMs", "-1"), 0))
                .hasMessage("parameter 'downtimeMs' must be >= 0, was -1");
    }
}
