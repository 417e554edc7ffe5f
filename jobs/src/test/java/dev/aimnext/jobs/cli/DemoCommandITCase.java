package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.local.PortCheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code aim demo} end to end, on free ports: the broker, both jobs on one local Flink cluster whose
 * REST API lists them RUNNING, guardrail and QoS summaries, the rebalancer's dry-run plan for the
 * bursty neighbour, QoS series on the Prometheus endpoint, and a clean stop that leaves no broker
 * process behind. The simulator runs at 30x so the scenario's first move (at about 70 simulated
 * seconds) comes early in the run.
 */
class DemoCommandITCase {

    @Test
    void theDemoRunsBothJobsOnOneClusterAndPrintsQosAndPlans(@TempDir Path workDir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        List<String> ports = freePorts(4);
        int code = AimCli.run(new String[] {"demo", "--duration", "25", "--speedup", "30", "--rate", "10",
                "--kafka-port", ports.get(0), "--controller-port", ports.get(1), "--web-port", ports.get(2),
                "--metrics-port", ports.get(3),
                "--work-dir", workDir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("the web UI lists [aim-guardrails RUNNING, aim-qos RUNNING]");
        assertThat(printed).contains("qos, sliding 1 min to simulated t=");
        List<String> lines = printed.lines().toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("chat-high", "gpu0/p0", "p99 TTFT",
                "SLO attainment (ttft)"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("plan gpu0@", "tier 3 (dry-run)",
                "trigger bursty-neighbour:model=chat-high", "MOVE_MODEL batch-low gpu0/p0 -> gpu0/p2"));
        assertThat(lines).noneMatch(line -> line.contains("simulator applied"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("Prometheus endpoint serves")
                .doesNotContain("serves 0 aim_guardrail").doesNotContain(" and 0 aim_qos series"));
        assertThat(printed).contains("Stopped cleanly.");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""))
                .filter(command -> command.contains("kafka.Kafka")))
                .as("broker processes left").isEmpty();
    }

    private static List<String> freePorts(int count) {
        Set<String> ports = new LinkedHashSet<>();
        while (ports.size() < count) {
            ports.add(Integer.toString(PortCheck.freePort()));
        }
        return List.copyOf(ports);
    }
}
