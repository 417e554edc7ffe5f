package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.plan.NodeConfigurations.NodeConfig;
import dev.aimnext.operators.qos.plan.Packer.Bin;
import dev.aimnext.operators.qos.plan.Packer.Packing;
import dev.aimnext.operators.qos.plan.hardware.PartitionMode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses partition modes for a set of GPUs and places models in the partitions.
 *
 * <p>Every model must fit one partition with its weights and KV floor, within the partition's
 * {@code gpu-memory-utilization} share; one that fits no allowed mode is rejected with how much it is
 * short. The planner then tries the mode set-ups of every node (exhaustively up to
 * {@link #EXHAUSTIVE_LIMIT} combinations, else node by node until nothing improves), packs the models
 * largest first into each ({@link Packer}), and keeps the best by {@link PlanScore}: fewest rejected
 * models by priority, then HIGH models kept apart, then the lowest maximum memory pressure, then the
 * lowest pressure summed over models, then fewest partitions. What is left of a partition after the floors becomes KV budget, shared in
 * proportion to the floors.
 */
public final class PartitionPlanner {

    /** Combined set-ups tried one by one; beyond it the planner improves one node at a time. */
    static final long EXHAUSTIVE_LIMIT = 20_000;

    private static final int MAX_ROUNDS = 10;

    private final PlanOptions options;

    public PartitionPlanner(PlanOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public PlacementPlan plan(List<ModelDemand> models, List<GpuNode> nodes) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("nothing to plan: give at least one model");
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("nothing to plan on: give at least one GPU");
        }
        Set<String> names = new HashSet<>();
        for (ModelDemand m : models) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("model " + m.name() + " is given twice");
            }
        }
        Rejections reasons = new Rejections(nodes, options);
        List<Rejection> rejections = new ArrayList<>();
        List<ModelDemand> packable = new ArrayList<>();
        for (ModelDemand m : models) {
            reasons.tooLarge(m).ifPresentOrElse(rejections::add, () -> packable.add(m));
        }
        // Largest first; at equal size the more important model picks first.
        packable.sort(Comparator.comparingLong(ModelDemand::minimumBytes).reversed()
                .thenComparing(ModelDemand::priority).thenComparing(ModelDemand::name));

        List<List<NodeConfig>> configs = nodes.stream().map(n -> NodeConfigurations.of(n, options.allowedModes())).toList();
        Search search = new Search(nodes, configs, packable);
        int[] best = search.run();
        int tried = search.tried;
        Packing packing = search.evaluate(best);
        for (ModelDemand m : packing.unplaced()) {
            rejections.add(reasons.noRoom(m, packing.largestFreeAtTurn().get(m.name())));
        }
        return new PlacementPlan(placements(nodes, configs, best, packing), rejections, options, tried);
    }

    private List<NodePlacement> placements(List<GpuNode> nodes, List<List<NodeConfig>> configs, int[] choice,
            Packing packing) {
        List<NodePlacement> out = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            GpuNode node = nodes.get(n);
            NodeConfig config = configs.get(n).get(choice[n]);
            List<GpuPlacement> gpus = new ArrayList<>();
            for (int g = 0; g < node.count(); g++) {
                PartitionMode mode = config.perGpu().get(g);
                List<PartitionSlot> partitions = new ArrayList<>();
                for (int p = 0; p < mode.partitions(); p++) {
                    List<ModelDemand> in = contents(packing, n, g, p);
                    partitions.add(new PartitionSlot(node.gpuId(g) + "/p" + p, mode.partitionBytes(),
                            mode.computeShare(), slots(in, options.usableBytes(mode.partitionBytes()))));
                }
                gpus.add(new GpuPlacement(node.gpuId(g), mode.compute().name(), mode.memory().name(), partitions));
            }
            out.add(new NodePlacement(node, config.memory(), config.perGpu(), gpus));
        }
        return out;
    }

    private static List<ModelDemand> contents(Packing packing, int node, int gpu, int partition) {
        for (int i = 0; i < packing.bins().size(); i++) {
            Bin b = packing.bins().get(i);
            if (b.node() == node && b.gpu() == gpu && b.partition() == partition) {
                return packing.contents().get(i);
            }
        }
        throw new IllegalStateException("no partition " + partition + " on GPU " + gpu + " of node " + node);
    }

    /**
     * Each model gets its floor plus a share of what the floors leave of {@code usable}, in proportion
     * to its floor (evenly when no model has one), so the partition is never over-committed.
     */
    static List<ModelSlot> slots(List<ModelDemand> models, long usable) {
        long spare = usable - models.stream().mapToLong(ModelDemand::minimumBytes).sum();
        long floors = models.stream().mapToLong(ModelDemand::kvFloorBytes).sum();
        List<ModelSlot> out = new ArrayList<>();
        for (ModelDemand m : models) {
            BigInteger share = floors == 0
                    ? BigInteger.valueOf(spare).divide(BigInteger.valueOf(models.size()))
                    : BigInteger.valueOf(spare).multiply(BigInteger.valueOf(m.kvFloorBytes()))
                            .divide(BigInteger.valueOf(floors));
            out.add(new ModelSlot(m.name(), m.priority(), m.weightBytes(), m.kvFloorBytes() + share.longValueExact(),
                    m.kvFloorBytes()));
        }
        return out;
    }

    /** Finds the best combination of node set-ups. */
    private final class Search {

        private final List<GpuNode> nodes;
        private final List<List<NodeConfig>> configs;
        private final List<ModelDemand> models;
        int tried;

        Search(List<GpuNode> nodes, List<List<NodeConfig>> configs, List<ModelDemand> models) {
            this.nodes = nodes;
            this.configs = configs;
            this.models = models;
        }

        int[] run() {
            long combinations = 1;
            for (List<NodeConfig> c : configs) {
                combinations *= c.size();
                if (combinations > EXHAUSTIVE_LIMIT) {
                    return nodeByNode();
                }
            }
            return exhaustive();
        }

        private int[] exhaustive() {
            int[] choice = new int[nodes.size()];
            int[] best = choice.clone();
            PlanScore bestScore = null;
            while (true) {
                PlanScore s = evaluate(choice).score();
                if (s.betterThan(bestScore)) {
                    bestScore = s;
                    best = choice.clone();
                }
                int n = 0;
                while (n < choice.length && ++choice[n] == configs.get(n).size()) {
                    choice[n++] = 0;
                }
                if (n == choice.length) {
                    return best;
                }
            }
        }

        private int[] nodeByNode() {
            int[] best = new int[nodes.size()];
            PlanScore bestScore = evaluate(best).score();
            for (int round = 0; round < MAX_ROUNDS; round++) {
                boolean improved = false;
                for (int n = 0; n < best.length; n++) {
                    for (int c = 0; c < configs.get(n).size(); c++) {
                        int[] candidate = best.clone();
                        candidate[n] = c;
                        PlanScore s = evaluate(candidate).score();
                        if (s.betterThan(bestScore)) {
                            bestScore = s;
                            best = candidate;
                            improved = true;
                        }
                    }
                }
                if (!improved) {
                    break;
                }
            }
            return best;
        }

        /** Packs the models into the partitions of {@code choice} both ways and keeps the better packing. */
        Packing evaluate(int[] choice) {
            tried++;
            List<Bin> bins = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                List<PartitionMode> perGpu = configs.get(n).get(choice[n]).perGpu();
                for (int g = 0; g < perGpu.size(); g++) {
                    PartitionMode mode = perGpu.get(g);
                    for (int p = 0; p < mode.partitions(); p++) {
                        bins.add(new Bin(n, g, p, options.usableBytes(mode.partitionBytes()), mode.partitionBytes()));
                    }
                }
            }
            Packing spread = Packer.pack(bins, models, Packer.Fit.SPREAD);
            Packing tight = Packer.pack(bins, models, Packer.Fit.TIGHT);
            return tight.score().betterThan(spread.score()) ? tight : spread;
        }
    }
}
