package dev.aimnext.operators.guardrails.pii.bench;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs {@link PiiStageBenchmark} single-threaded in one forked JVM (3 warm-up and 5 measured
 * iterations of 2 s each) and prints JMH's result table. From the repository root:
 *
 * <pre>
 * ./mvnw -B -q -o -pl operators test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.aimnext.operators.guardrails.pii.bench.PiiStageBenchmarkMain
 * </pre>
 */
public final class PiiStageBenchmarkMain {

    private PiiStageBenchmarkMain() {}

    public static void main(String[] args) throws RunnerException {
        exportClassPath();
        Options options =
                new OptionsBuilder()
                        .include("^" + Pattern.quote(PiiStageBenchmark.class.getName() + "."))
                        .mode(Mode.Throughput)
                        .timeUnit(TimeUnit.SECONDS)
                        .forks(1)
                        .threads(1)
                        .warmupIterations(3)
                        .warmupTime(TimeValue.seconds(2))
                        .measurementIterations(5)
                        .measurementTime(TimeValue.seconds(2))
                        .build();
        new Runner(options).run();
    }

    /**
     * exec:java runs this class inside Maven's JVM, with the test classpath held by a class loader
     * rather than in {@code java.class.path}; JMH starts its forked JVM with {@code
     * java.class.path}, so the class loader's entries are copied there first. Started with a plain
     * {@code java -cp ...}, the property is already complete and this adds nothing new.
     */
    private static void exportClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = Thread.currentThread().getContextClassLoader();
                loader != null;
                loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        try {
                            entries.add(Path.of(url.toURI()).toString());
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            // not a plain file; the forked JVM cannot use it either
                        }
                    }
                }
            }
        }
        String current = System.getProperty("java.class.path", "");
        for (String entry : current.split(Pattern.quote(File.pathSeparator))) {
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        System.setProperty("java.class.path", String.join(File.pathSeparator, entries));
    }
}
