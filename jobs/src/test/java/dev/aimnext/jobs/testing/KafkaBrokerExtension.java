package dev.aimnext.jobs.testing;

import dev.aimnext.jobs.local.EmbeddedKafkaBroker;
import dev.aimnext.jobs.local.LocalFiles;
import dev.aimnext.jobs.local.PortCheck;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One real KRaft broker per test class, on free ports with its data in a temporary folder. Register
 * it as a static field with {@code @RegisterExtension}.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafkaBroker broker;
    private Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("aim-kafka-test");
        broker = EmbeddedKafkaBroker.start(dir, PortCheck.freePort(), PortCheck.freePort());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (broker != null) {
            broker.close();
        }
        LocalFiles.deleteRecursively(dir);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Creates topics with the given partition counts, allowing records up to 4 MiB. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        broker.createTopics(partitionsByTopic.entrySet().stream()
                .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1)
                        .configs(Map.of("max.message.bytes", "4194304")))
                .toList());
    }

    public void createTopics(List<String> topics, int partitions) {
        broker.createTopics(topics.stream()
                .map(t -> new NewTopic(t, partitions, (short) 1).configs(Map.of("max.message.bytes", "4194304")))
                .toList());
    }
}
