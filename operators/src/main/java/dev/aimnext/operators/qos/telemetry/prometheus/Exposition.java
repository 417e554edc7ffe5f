package dev.aimnext.operators.qos.telemetry.prometheus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One parsed scrape: the samples in the order they were written, with the HELP and TYPE each family
 * declared. Read it by sample name, or by histogram family with {@link #histograms(String)}.
 */
public final class Exposition {

    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_sum", "_count", "_created");

    private final List<Sample> samples;
    private final Map<String, List<Sample>> byName;
    private final Map<String, MetricType> types;
    private final Map<String, String> help;

    private Exposition(List<Sample> samples, Map<String, MetricType> types, Map<String, String> help) {
        this.samples = List.copyOf(samples);
        Map<String, List<Sample>> index = new LinkedHashMap<>();
        for (Sample sample : samples) {
            index.computeIfAbsent(sample.name(), n -> new ArrayList<>()).add(sample);
        }
        index.replaceAll((name, list) -> List.copyOf(list));
        this.byName = Collections.unmodifiableMap(index);
        this.types = Map.copyOf(types);
        this.help = Map.copyOf(help);
    }

    /** All samples, in the order the endpoint wrote them. */
    public List<Sample> samples() {
        return samples;
    }

    /** The samples with exactly this name, e.g. {@code vllm:num_requests_running}. */
    public List<Sample> samples(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** The distinct sample names, in order of first appearance. */
    public Set<String> sampleNames() {
        return byName.keySet();
    }

    /** The type a {@code # TYPE} line declared for a family. */
    public Optional<MetricType> type(String family) {
        return Optional.ofNullable(types.get(family));
    }

    /** The families that have a {@code # TYPE} line. */
    public Set<String> declaredFamilies() {
        return types.keySet();
    }

    /** The unescaped {@code # HELP} text of a family. */
    public Optional<String> help(String family) {
        return Optional.ofNullable(help.get(family));
    }

    /** Whether the family was declared or has samples (a histogram's under its suffixed names). */
    public boolean hasFamily(String family) {
        if (types.containsKey(family) || byName.containsKey(family)) {
            return true;
        }
        return HISTOGRAM_SUFFIXES.stream().anyMatch(suffix -> byName.containsKey(family + suffix));
    }

    /**
     * The series of a histogram family, one per label set (without {@code le}), each checked: an
     * {@code +Inf} bucket, distinct bounds, cumulative counts.
     *
     * @throws ExpositionFormatException if a series breaks those rules
     */
    public List<CumulativeHistogram> histograms(String family) {
        return CumulativeHistogram.collect(this, family);
    }

    /** Collects lines while the parser reads, and checks what spans lines: families and their order. */
    static final class Builder {

        private final List<Sample> samples = new ArrayList<>();
        private final Map<String, MetricType> types = new HashMap<>();
        private final Map<String, String> help = new HashMap<>();
        private final Set<String> seenNames = new HashSet<>();

        void help(String family, String text, int line) {
            if (help.putIfAbsent(family, text) != null) {
                throw new ExpositionFormatException(line, "second HELP line for " + family);
            }
        }

        void type(String family, MetricType type, int line) {
            if (types.putIfAbsent(family, type) != null) {
                throw new ExpositionFormatException(line, "second TYPE line for " + family);
            }
            if (seenNames.contains(family)
                    || HISTOGRAM_SUFFIXES.stream().anyMatch(suffix -> seenNames.contains(family + suffix))) {
                throw new ExpositionFormatException(line, "TYPE line for " + family + " comes after its samples");
            }
        }

        void sample(Sample sample, int line) {
            String family = familyOf(sample.name());
            MetricType type = types.getOrDefault(family, MetricType.UNTYPED);
            if (type == MetricType.HISTOGRAM) {
                checkHistogramSample(family, sample, line);
            }
            seenNames.add(sample.name());
            samples.add(sample);
        }

        private static void checkHistogramSample(String family, Sample sample, int line) {
            if (sample.name().equals(family)) {
                throw new ExpositionFormatException(line, "histogram " + family
                        + " has a sample without a _bucket, _sum or _count suffix");
            }
            if (!sample.name().endsWith("_bucket")) {
                return;
            }
            String le = sample.labels().get("le");
            if (le == null) {
                throw new ExpositionFormatException(line, sample.name() + " has no le label");
            }
            try {
                double bound = PrometheusTextParser.parseNumber(le);
                if (Double.isNaN(bound)) {
                    throw new NumberFormatException(le);
                }
            } catch (NumberFormatException e) {
                throw new ExpositionFormatException(line, "le=\"" + le + "\" of " + sample.name() + " is not a bound");
            }
        }

        /** The declared family a sample belongs to: its own name, or a histogram's or summary's base name. */
        private String familyOf(String name) {
            if (types.containsKey(name)) {
                return name;
            }
            for (String suffix : HISTOGRAM_SUFFIXES) {
                if (name.endsWith(suffix)) {
                    String base = name.substring(0, name.length() - suffix.length());
                    MetricType type = types.get(base);
                    if (type == MetricType.HISTOGRAM || type == MetricType.SUMMARY
                            || (type != null && suffix.equals("_created"))) {
                        return base;
                    }
                }
            }
            return name;
        }

        Exposition build() {
            return new Exposition(samples, types, help);
        }
    }
}
