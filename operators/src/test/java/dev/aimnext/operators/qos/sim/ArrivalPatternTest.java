package dev.aimnext.operators.qos.sim;

import static dev.aimnext.operators.qos.sim.SimFixtures.GIB;
import static dev.aimnext.operators.qos.sim.SimFixtures.gpu;
import static dev.aimnext.operators.qos.sim.SimFixtures.partition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.aimnext.schemas.event.RequestTelemetry;
import org.junit.jupiter.api.Test;

import java.util.List;

class ArrivalPatternTest {

    /** A model that serves nearly instantly, so every arrival is reported soon after it came. */
    private static ModelWorkload instant(ArrivalPattern pattern) {
        return new ModelWorkload("m", pattern, TokenDistribution.fixed(1), TokenDistribution.fixed(1),
                new ServingProfile(1e9, 0, 1e-6, 0, 1, 1024, 8192));
    }

    private static SimulationConfig config(ArrivalPattern pattern, long seed, long durationMs) {
        return SimulationConfig.builder(gpu(partition("gpu0/p0", 1, GIB, "m"))).workload(instant(pattern)).seed(seed)
                .durationMs(durationMs).build();
    }

    @Test
    void rateFollowsBurstsAndTheDiurnalSinusoid() {
        ArrivalPattern p = ArrivalPattern.poisson(10).withBursts(4, 60_000, 10_000, 5_000).withDiurnal(0.5, 400_000);
        assertThat(p.inBurst(4_999)).isFalse();
        assertThat(p.inBurst(5_000)).isTrue();
        assertThat(p.inBurst(14_999)).isTrue();
        assertThat(p.inBurst(65_000)).isTrue();
        assertThat(p.ratePerMs(0)).isCloseTo(0.010, within(1e-12));
        assertThat(p.ratePerMs(100_000)).isCloseTo(0.015, within(1e-12)); // sin peak, outside a burst
        assertThat(p.ratePerMs(5_000)).isCloseTo(0.04 * (1 + 0.5 * Math.sin(2 * Math.PI * 5_000 / 400_000)), within(1e-12));
        assertThat(p.maxRatePerMs()).isCloseTo(0.06, within(1e-12));
        // bursts only: 50 s at 10/s plus 10 s at 40/s per minute
        assertThat(ArrivalPattern.poisson(10).withBursts(4, 60_000, 10_000, 0).expectedArrivals(0, 60_000))
                .isCloseTo(900, within(1e-6));
        // a whole period of the sinusoid integrates to the flat rate
        assertThat(ArrivalPattern.poisson(10).withDiurnal(0.9, 20_000).expectedArrivals(0, 20_000)).isCloseTo(200, within(1e-6));
    }

    @Test
    void arrivalCountsStayWithinFourSigmaOfTheIntegratedRate() {
        ArrivalPattern shaped = ArrivalPattern.poisson(20).withBursts(5, 30_000, 6_000, 2_000).withDiurnal(0.6, 120_000);
        long duration = 300_000;
        double expected = shaped.expectedArrivals(0, duration);
        double sigma = Math.sqrt(expected);
        for (long seed = 1; seed <= 5; seed++) {
            ServingSimulator sim = new ServingSimulator(config(shaped, seed, duration), new TelemetryCollector());
            sim.run();
            assertThat((double) sim.stats("m").arrivals()).as("seed %d", seed).isBetween(expected - 4 * sigma,
                    expected + 4 * sigma);
        }
    }

    @Test
    void burstsConcentrateArrivalsInTheirWindows() {
        ArrivalPattern bursty = ArrivalPattern.poisson(2).withBursts(10, 20_000, 5_000, 0);
        TelemetryCollector out = SimFixtures.run(config(bursty, 11, 200_000));
        List<RequestTelemetry> all = out.requests();
        long inBurst = all.stream().filter(t -> bursty.inBurst(t.getEventTimeMs() - t.getE2eMs())).count();
        long outside = all.size() - inBurst;
        // per cycle: 5 s × 20/s in the burst, 15 s × 2/s outside
        double expectedIn = bursty.expectedArrivals(0, 200_000) * 100 / 130;
        double expectedOut = bursty.expectedArrivals(0, 200_000) * 30 / 130;
        assertThat((double) inBurst).isBetween(expectedIn - 4 * Math.sqrt(expectedIn), expectedIn + 4 * Math.sqrt(expectedIn));
        assertThat((double) outside).isBetween(expectedOut - 4 * Math.sqrt(expectedOut), expectedOut + 4 * Math.sqrt(expectedOut));
    }

    @Test
    void tokenCountsFollowTheLognormalMedianAndStayClamped() {
        TokenDistribution d = TokenDistribution.lognormal(400, 0.5, 1000);
        assertThat(d.sample(0)).isEqualTo(400);
        assertThat(d.sample(1)).isEqualTo((int) Math.round(400 * Math.exp(0.5)));
        assertThat(d.sample(10)).isEqualTo(1000);
        assertThat(d.sample(-50)).isEqualTo(1);
        assertThat(TokenDistribution.fixed(7).sample(3)).isEqualTo(7);
    }

    @Test
    void badPatternsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ArrivalPattern.poisson(-1)).hasMessageContaining("arrival rate");
        assertThatThrownBy(() -> ArrivalPattern.poisson(1).withBursts(2, 1_000, 2_000, 0)).hasMessageContaining("burstOnMs");
        assertThatThrownBy(() -> ArrivalPattern.poisson(1).withDiurnal(1.5, 1_000)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> new TokenDistribution(5, 0.1, 10, 20)).hasMessageContaining("median");
    }
}
