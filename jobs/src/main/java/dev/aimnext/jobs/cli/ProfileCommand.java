package dev.aimnext.jobs.cli;

import dev.aimnext.operators.finetune.profile.AimProfile;
import dev.aimnext.operators.finetune.profile.AimProfileGenerator;
import dev.aimnext.operators.finetune.profile.AimProfileJson;
import dev.aimnext.operators.finetune.profile.ProfileRequest;
import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.memory.ServingPlan;
import dev.aimnext.operators.finetune.profile.memory.ServingPlanner;
import dev.aimnext.operators.finetune.profile.memory.TrainingMemory;
import dev.aimnext.operators.finetune.profile.memory.TrainingSetup;
import dev.aimnext.operators.finetune.profile.model.HfConfigParser;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static dev.aimnext.operators.finetune.profile.memory.ServingPlanner.gib;

/**
 * {@code aim profile --model-config config.json --method lora|qlora|full --dtype bf16 --partition-gb 48}:
 * an AIM profile sized to a GPU partition. The profile JSON goes to stdout (or {@code --output}), a
 * short summary to stderr, so {@code aim profile ... > profile.json} keeps the file clean. A model
 * that does not fit fails with what it needs against what the partition has.
 */
final class ProfileCommand {

    private final CliArgs args;
    private final PrintStream out;
    private final PrintStream err;

    ProfileCommand(CliArgs args, PrintStream out, PrintStream err) {
        this.args = args;
        this.out = out;
        this.err = err;
    }

    int run() throws IOException {
        Path config = Path.of(required("model-config", "config.json"));
        FinetuneMethod method = FinetuneMethod.parse(required("method", "lora|qlora|full"));
        WeightDtype dtype = WeightDtype.parse(args.value("dtype", "bf16"));
        double partitionGb = args.doubleValue("partition-gb", Double.NaN);
        if (Double.isNaN(partitionGb)) {
            throw new IllegalArgumentException("profile needs --partition-gb GIB (e.g. 48 for an MI300X QPX partition)");
        }
        long maxModelLen = args.intValue("max-model-len", 0);
        int rank = args.intValue("lora-rank", 16);
        int alpha = args.intValue("lora-alpha", 2 * rank);
        String targets = args.value("lora-targets", "q,k,v,o,gate,up,down");
        TrainingSetup training = new TrainingSetup(args.intValue("train-seq-len", 2048),
                args.intValue("micro-batch-size", 1), onOff(args.value("gradient-checkpointing", "on")));
        double utilization = args.doubleValue("gpu-memory-utilization", ServingPlanner.DEFAULT_GPU_MEMORY_UTILIZATION);
        int partitionId = args.intValue("partition-id", 0);
        String qos = args.value("qos-priority", "medium");
        String modelId = args.value("model-id", defaultModelId(config));
        String output = args.value("output", "-");
        args.requireConsumed();

        ModelShape shape = HfConfigParser.parse(config);
        ProfileRequest request = new ProfileRequest(modelId, method, dtype, partitionGb, maxModelLen,
                new LoraSpec(rank, alpha, LoraSpec.parseTargets(targets)), training, utilization, partitionId, qos);
        AimProfile profile = AimProfileGenerator.generate(shape, request);
        String json = AimProfileJson.toPrettyString(profile);
        if (output.equals("-")) {
            out.println(json);
        } else {
            Files.writeString(Path.of(output), json + "\n");
        }
        summarize(profile, output);
        return 0;
    }

    private String required(String name, String what) {
        return args.optional(name).orElseThrow(
                () -> new IllegalArgumentException("profile needs --" + name + " " + what));
    }

    private static boolean onOff(String value) {
        return switch (value) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("--gradient-checkpointing must be on or off, got '" + value + "'");
        };
    }

    /** A HuggingFace snapshot keeps config.json in a folder named after the model. */
    private static String defaultModelId(Path config) {
        Path name = config.getFileName();
        Path parent = config.toAbsolutePath().getParent();
        if (name != null && name.toString().equals("config.json") && parent != null && parent.getFileName() != null) {
            return parent.getFileName().toString();
        }
        if (name == null) {
            return "model";
        }
        String file = name.toString();
        return file.endsWith(".json") ? file.substring(0, file.length() - ".json".length()) : file;
    }

    private void summarize(AimProfile p, String output) {
        ModelShape s = p.shape();
        TrainingMemory t = p.training();
        ServingPlan v = p.serving();
        ProfileRequest r = p.request();
        err.printf(Locale.ROOT, "aim profile: %s, %s%s %s on a %s partition -> %s%n", r.modelId(), r.method().id(),
                r.method().usesAdapter() ? " r" + r.lora().rank() : "", r.dtype().id(), gib(r.partitionBytes()),
                output.equals("-") ? "stdout" : output);
        err.printf(Locale.ROOT, "  model     %.2fB parameters (%s, %d layers, %d KV heads x %d%s)%n",
                p.parameters().total() / 1e9, s.modelType(), s.layers(), s.kvHeads(), s.headDim(),
                s.moe() == null ? "" : ", " + s.moe().experts() + " experts");
        err.printf(Locale.ROOT, "  training  %s: weights %s, gradients %s, AdamW %s, activations %s "
                        + "(%d tokens x %d, checkpointing %s)%n",
                gib(t.totalBytes()), gib(t.weightBytes()), gib(t.gradientBytes()), gib(t.optimizerBytes()),
                gib(t.activationBytes()), t.setup().sequenceLength(), t.setup().microBatchSize(),
                t.setup().gradientCheckpointing() ? "on" : "off");
        err.printf(Locale.ROOT, "  serving   weights %s, KV %d bytes/token, max-model-len %d, %d concurrent "
                        + "sequence(s), KV cache %s%n",
                gib(v.weightBytes()), v.kvBytesPerToken(), v.maxModelLen(), v.maxConcurrentSequences(),
                gib(v.kvBudgetBytes()));
        err.println("  vllm      " + String.join(" ", v.vllmArgs()));
    }
}
