package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.qos.placement.Priority;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Packs models, largest first, into a fixed set of partitions. A HIGH model goes to an empty
 * partition and other models avoid partitions holding a HIGH one, as long as one with room exists;
 * only then does memory win over isolation. Among the rest, {@link Fit#SPREAD} takes the partition
 * left least pressed (worst fit, which keeps the maximum pressure low) and {@link Fit#TIGHT} the one
 * left with least room (best fit, which places more when memory is short). The planner tries both.
 */
final class Packer {

    enum Fit { SPREAD, TIGHT }

    /** One partition: where it is, what models may hold of it, and its full size for pressure. */
    record Bin(int node, int gpu, int partition, long usableBytes, long memoryBytes) {}

    /** What went where, what did not fit, and how good that is. */
    record Packing(List<Bin> bins, List<List<ModelDemand>> contents, List<ModelDemand> unplaced,
            Map<String, Long> largestFreeAtTurn, PlanScore score) {}

    private Packer() {}

    static Packing pack(List<Bin> bins, List<ModelDemand> largestFirst, Fit fit) {
        int n = bins.size();
        long[] used = new long[n];
        boolean[] holdsHigh = new boolean[n];
        List<List<ModelDemand>> contents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            contents.add(new ArrayList<>());
        }
        List<ModelDemand> unplaced = new ArrayList<>();
        Map<String, Long> largestFree = new HashMap<>();
        for (ModelDemand d : largestFirst) {
            boolean high = d.priority() == Priority.HIGH;
            int best = -1;
            boolean bestApart = false;
            double bestKey = 0;
            long mostFree = 0;
            for (int i = 0; i < n; i++) {
                Bin b = bins.get(i);
                long free = b.usableBytes() - used[i];
                mostFree = Math.max(mostFree, free);
                if (free < d.minimumBytes()) {
                    continue;
                }
                boolean apart = high ? contents.get(i).isEmpty() : !holdsHigh[i];
                double key = fit == Fit.SPREAD ? (used[i] + d.minimumBytes()) / (double) b.memoryBytes()
                        : free - d.minimumBytes();
                if (best < 0 || (apart && !bestApart) || (apart == bestApart && key < bestKey)) {
                    best = i;
                    bestApart = apart;
                    bestKey = key;
                }
            }
            if (best < 0) {
                unplaced.add(d);
                largestFree.put(d.name(), mostFree);
            } else {
                used[best] += d.minimumBytes();
                holdsHigh[best] |= high;
                contents.get(best).add(d);
            }
        }
        return new Packing(bins, contents, unplaced, largestFree, score(bins, contents, unplaced));
    }

    private static PlanScore score(List<Bin> bins, List<List<ModelDemand>> contents, List<ModelDemand> unplaced) {
        int[] rejected = new int[Priority.values().length];
        unplaced.forEach(d -> rejected[d.priority().ordinal()]++);
        int sharedHigh = 0;
        double maxPressure = 0;
        double modelPressure = 0;
        Set<Long> usedGpus = new HashSet<>();
        for (int i = 0; i < bins.size(); i++) {
            List<ModelDemand> in = contents.get(i);
            if (in.isEmpty()) {
                continue;
            }
            usedGpus.add(gpuKey(bins.get(i)));
            if (in.size() > 1) {
                sharedHigh += (int) in.stream().filter(d -> d.priority() == Priority.HIGH).count();
            }
            long sum = in.stream().mapToLong(ModelDemand::minimumBytes).sum();
            double pressure = sum / (double) bins.get(i).memoryBytes();
            maxPressure = Math.max(maxPressure, pressure);
            modelPressure += pressure * in.size();
        }
        int partitions = (int) bins.stream().filter(b -> usedGpus.contains(gpuKey(b))).count();
        return new PlanScore(rejected, sharedHigh, maxPressure, modelPressure, partitions);
    }

    private static long gpuKey(Bin b) {
        return ((long) b.node() << 32) | b.gpu();
    }
}
