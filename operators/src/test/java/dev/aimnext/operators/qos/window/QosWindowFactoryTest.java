package dev.aimnext.operators.qos.window;

import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.QosWindow;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QosWindowFactoryTest {

    @Test
    void burnRateIsMissedFractionOverTheBudget() {
        assertThat(QosWindowFactory.burnRate(1000, 990)).isCloseTo(1.0, within(1e-9));
        assertThat(QosWindowFactory.burnRate(1000, 856)).isCloseTo(14.4, within(1e-9));
        assertThat(QosWindowFactory.burnRate(1000, 1000)).isZero();
        assertThat(QosWindowFactory.burnRate(0, 0)).isZero();
    }

    @Test
    void attainmentListsDeclaredObjectivesAndAll() {
        ModelSlo slo = new ModelSlo("m", 300, 0, 5000, Priority.HIGH, 0, 0);
        QosWindow w = QosWindowFactory.fromCounts("m", "p", QosWindowKind.BURN_5M, 600_000,
                new SloCounts(300, 3, 900, 291, 297, 294, 288), slo).window;

        assertThat(w.getSloAttainment()).isEqualTo(Map.of("ttft", 0.97, "e2e", 0.98, "all", 0.96));
        assertThat(w.getWindowStartMs()).isEqualTo(300_000);
        assertThat(w.getRatePerSec()).isEqualTo(1.0);
        assertThat(w.getErrorBudgetBurnRate()).isCloseTo(4.0, within(1e-9));
        QosWindow unknownModel = QosWindowFactory.fromCounts("x", "p", QosWindowKind.BURN_5M, 600_000,
                new SloCounts(10, 1, 0, 9, 9, 9, 9), null).window;
        assertThat(unknownModel.getSloAttainment()).isEqualTo(Map.of("all", 0.9));
    }

    @Test
    void partitionAddressJoinsCollectorAndTelemetryNames() {
        assertThat(PartitionAddress.of("0000:03:00.0", "3")).isEqualTo("0000:03:00.0/3");
        assertThat(PartitionAddress.of("gpu0", "gpu0/cpx3")).isEqualTo("gpu0/cpx3");
        assertThat(PartitionAddress.of("", "colo-a")).isEqualTo("colo-a");
    }
}
