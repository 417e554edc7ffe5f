package dev.aimnext.jobs.cli;

import dev.aimnext.operators.finetune.profile.memory.ServingPlanner;
import dev.aimnext.operators.qos.plan.GpuNode;
import dev.aimnext.operators.qos.plan.ModelDemand;
import dev.aimnext.operators.qos.plan.ModelDemandReader;
import dev.aimnext.operators.qos.plan.ModelSpec;
import dev.aimnext.operators.qos.plan.PartitionPlanner;
import dev.aimnext.operators.qos.plan.PlacementPlan;
import dev.aimnext.operators.qos.plan.PlanOptions;
import dev.aimnext.operators.qos.plan.PlanReport;
import dev.aimnext.operators.qos.plan.dcm.DcmConfigMap;
import dev.aimnext.operators.qos.plan.hardware.ModeSupport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code aim plan --gpus mi300x:2 --model llama=config.json:bf16:kv=8192x4:priority=high ...}:
 * chooses partition modes, places the models and writes the AMD GPU operator's DCM ConfigMap. The
 * YAML goes to stdout (or {@code --out}), the placement and any rejections to stderr, so
 * {@code aim plan ... > dcm.yaml} keeps the file clean. Exits 3 when a model had to be left out.
 *
 * <p>{@code --model} and {@code --profile} may be given many times, which the shared option parser
 * does not keep, so this command reads its own arguments.
 */
final class PlanCommand {

    /** Exit status when the plan leaves a model out: the plan is still written for the rest. */
    static final int MODELS_REJECTED = 3;

    private final String[] args;
    private final PrintStream out;
    private final PrintStream err;

    PlanCommand(String[] args, PrintStream out, PrintStream err) {
        this.args = args;
        this.out = out;
        this.err = err;
    }

    int run() throws IOException {
        List<String> models = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--model") || arg.equals("--profile")) {
                if (i + 1 == args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException("option " + arg + " needs a value");
                }
                models.add(args[++i]);
            } else if (arg.startsWith("--model=") || arg.startsWith("--profile=")) {
                models.add(arg.substring(arg.indexOf('=') + 1));
            } else {
                rest.add(arg);
            }
        }
        CliArgs options = new CliArgs(rest.toArray(String[]::new), 0);
        String gpus = options.optional("gpus").orElseThrow(() -> new IllegalArgumentException(
                "plan needs --gpus GPU:COUNT[:MODE][,...] (e.g. mi300x:8)"));
        ModeSupport allowed = ModeSupport.parse(options.value("modes", "documented"));
        double utilization = options.doubleValue("gpu-memory-utilization", ServingPlanner.DEFAULT_GPU_MEMORY_UTILIZATION);
        String output = options.value("out", "-");
        String configMap = options.value("configmap", DcmConfigMap.DEFAULT_NAME);
        String namespace = options.value("namespace", DcmConfigMap.DEFAULT_NAMESPACE);
        String profile = options.value("dcm-profile", DcmConfigMap.DEFAULT_PROFILE);
        options.requireConsumed();
        if (models.isEmpty()) {
            throw new IllegalArgumentException("plan needs at least one --model NAME=config.json[:FIELD...] or "
                    + "--profile profile.json");
        }

        List<ModelDemand> demands = new ArrayList<>();
        for (String model : models) {
            demands.add(ModelDemandReader.read(ModelSpec.parse(model)));
        }
        PlacementPlan plan = new PartitionPlanner(new PlanOptions(utilization, allowed)).plan(demands, nodes(gpus, allowed));
        String yaml = DcmConfigMap.toYaml(plan, configMap, namespace, profile);
        if (output.equals("-")) {
            out.print(yaml);
        } else {
            Files.writeString(Path.of(output), yaml);
        }
        err.print(PlanReport.format(plan));
        err.println("DCM ConfigMap " + namespace + "/" + configMap + " -> " + (output.equals("-") ? "stdout" : output));
        return plan.rejections().isEmpty() ? 0 : MODELS_REJECTED;
    }

    /** {@code mi300x:8} is one unnamed node; several entries, or {@code NAME=GPU:COUNT}, name them. */
    private static List<GpuNode> nodes(String spec, ModeSupport allowed) {
        String[] entries = spec.split(",");
        List<GpuNode> nodes = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            int eq = entry.indexOf('=');
            String name = eq > 0 ? entry.substring(0, eq) : entries.length == 1 ? "" : "node" + i;
            nodes.add(GpuNode.parse(name, eq > 0 ? entry.substring(eq + 1) : entry, allowed));
        }
        return nodes;
    }
}
