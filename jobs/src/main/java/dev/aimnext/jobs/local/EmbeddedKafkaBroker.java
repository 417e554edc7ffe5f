package dev.aimnext.jobs.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka broker in KRaft mode, started from the {@code kafka_2.13} Maven artifact
 * in a child JVM. A child process keeps the broker's classpath, threads and logs apart from Flink's,
 * and lets a crash of one not take down the other.
 *
 * <p>The log dir is formatted once with {@code kafka.tools.StorageTool}; the broker then runs
 * {@code kafka.Kafka}. {@link #start} returns only when the broker answers a metadata request, so
 * producers never race topic creation.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final Path workDir;
    private final int port;
    private final Process process;

    private EmbeddedKafkaBroker(Path workDir, int port, Process process) {
        this.workDir = workDir;
        this.port = port;
        this.process = process;
    }

    /**
     * Formats (if needed) and starts a broker with its data under {@code workDir}.
     *
     * @param port the PLAINTEXT listener on 127.0.0.1
     * @param controllerPort the KRaft controller listener on 127.0.0.1
     */
    public static EmbeddedKafkaBroker start(Path workDir, int port, int controllerPort) {
        try {
            Files.createDirectories(workDir);
            Path logDir = workDir.resolve("data");
            Path config = workDir.resolve("server.properties");
            Files.writeString(config, serverProperties(logDir, port, controllerPort));
            Path log4j = workDir.resolve("log4j2.properties");
            Files.writeString(log4j, log4jProperties(workDir.resolve("broker.log")));
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(workDir, config, log4j);
            }
            Process process =
                    new ProcessBuilder(
                                    javaCommand(log4j, "-Xmx768m", "kafka.Kafka", config.toString()))
                            .redirectErrorStream(true)
                            .redirectOutput(workDir.resolve("broker.out").toFile())
                            .start();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(workDir, port, process);
            broker.awaitReady();
            return broker;
        } catch (IOException e) {
            throw new LocalStackException("cannot start the Kafka broker: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path workDir() {
        return workDir;
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new LocalStackException(
                                "cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new LocalStackException("timed out creating topics", e);
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new LocalStackException(
                            "the Kafka broker exited during startup (exit code "
                                    + process.exitValue() + "); see " + workDir.resolve("broker.out")
                                    + " and " + workDir.resolve("broker.log"));
                }
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    Thread.sleep(250);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        throw new LocalStackException(
                "the Kafka broker did not answer within " + STARTUP_TIMEOUT.toSeconds() + " s; see "
                        + workDir.resolve("broker.log"));
    }

    private static void format(Path workDir, Path config, Path log4j) throws IOException {
        // 16 random bytes as 22 characters of URL-safe base64, the form KRaft expects.
        String clusterId = Uuid.randomUuid().toString();
        Process format =
                new ProcessBuilder(
                                javaCommand(log4j, "-Xmx256m", "kafka.tools.StorageTool", "format",
                                        "-t", clusterId, "-c", config.toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(workDir.resolve("format.out").toFile())
                        .start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new LocalStackException(
                        "formatting the Kafka log dir failed; see " + workDir.resolve("format.out"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while formatting the Kafka log dir", e);
        }
    }

    private static List<String> javaCommand(Path log4j, String heap, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(heap);
        command.add("-XX:+UseSerialGC");
        command.add("-Dlog4j2.configurationFile=" + log4j.toUri());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private static String serverProperties(Path logDir, int port, int controllerPort) {
        String props =
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "log.dirs=" + logDir.toString().replace(File.separatorChar, '/'),
                        "num.partitions=2",
                        "auto.create.topics.enable=false",
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=4",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "transaction.state.log.num.partitions=4",
                        "group.initial.rebalance.delay.ms=0",
                        // Lets oversized requests reach the job, which dead-letters them with a reason.
                        "message.max.bytes=4194304",
                        "log.retention.hours=24",
                        "");
        return props;
    }

    private static String log4jProperties(Path logFile) {
        return String.join(
                "\n",
                "status = error",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = " + logFile.toString().replace(File.separatorChar, '/'),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "logger.kafka.name = kafka",
                "logger.kafka.level = WARN",
                "logger.apache.name = org.apache.kafka",
                "logger.apache.level = WARN",
                "");
    }

    /** For diagnostics: the tail of the broker log. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(workDir.resolve("broker.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no broker log)";
        }
    }
}
