package dev.aimnext.jobs.finetune.driver;

import dev.aimnext.jobs.finetune.store.RunStore;
import dev.aimnext.operators.dataset.read.InputLocation;
import dev.aimnext.operators.finetune.plan.TrainerConfig;
import dev.aimnext.operators.finetune.profile.AimProfile;
import dev.aimnext.operators.finetune.profile.AimProfileGenerator;
import dev.aimnext.operators.finetune.profile.AimProfileJson;
import dev.aimnext.operators.finetune.profile.ProfileRequest;
import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.memory.ServingPlanner;
import dev.aimnext.operators.finetune.profile.memory.TrainingSetup;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.run.RunRecord;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Ends a run whose trainer completed: copies the final adapter (or model) from the run folder to the
 * spec's output path, then writes the fine-tuned model's AIM profile with its {@code finetuning}
 * section filled in (base model, method, checkpoint URI). The profile is sized from what actually
 * trained: the micro-batch, sequence length and checkpointing in {@code trainer-config.json}.
 */
public final class RunFinisher implements RunCompletion {

    public static final String PROFILE_FILE = "aim-profile.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final FineTuningJobSpec spec;
    private final Path runDir;

    public RunFinisher(FineTuningJobSpec spec, Path runDir) {
        this.spec = spec;
        this.runDir = runDir;
    }

    @Override
    public String complete(RunRecord run) throws IOException {
        Path result = run.finalCheckpoint() != null ? Path.of(run.finalCheckpoint()) : runDir.resolve("final");
        if (!Files.isDirectory(result)) {
            throw new IOException("its final output " + result + " is not a folder");
        }
        FineTuningJobSpec.Output output = spec.output();
        String checkpointUri;
        String where;
        if (output.path() != null) {
            checkpointUri = copy(result, output.path());
            run.outputPath(output.path());
            where = "final adapter copied to " + output.path();
        } else {
            // pushing to a registry needs credentials the local driver does not hold
            checkpointUri = result.toUri().toString();
            where = "final adapter in " + result + " (push it to " + output.registry() + ")";
        }
        if (!output.generateProfile()) {
            return where;
        }
        String profile = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(profile(checkpointUri)) + "\n";
        Path profileFile = runDir.resolve(PROFILE_FILE);
        RunStore.writeAtomically(profileFile, profile);
        run.profilePath(profileFile.toString());
        if (output.path() != null && !InputLocation.isUri(output.path())) {
            Files.writeString(Path.of(output.path()).resolve(PROFILE_FILE), profile);
        }
        return where + "; AIM profile " + profileFile;
    }

    /** The profile of the fine-tuned model: the base's sizes, the run's training setup, and where the weights are. */
    ObjectNode profile(String checkpointUri) throws IOException {
        TrainerConfig trained = TrainerConfigFile.read(runDir);
        ModelShape shape = spec.baseModel().readShape();
        TrainerConfig.Hyperparameters hp = trained.hyperparameters();
        LoraSpec lora = spec.hyperparameters().lora() != null ? spec.hyperparameters().lora().loraSpec(shape)
                : LoraSpec.ofRank(16);
        ProfileRequest request = new ProfileRequest(spec.baseModel().modelId(), spec.method(),
                spec.hyperparameters().precision(), spec.resources().gpuMemoryGb(), 0, lora,
                new TrainingSetup(hp.maxSeqLen(), hp.microBatchSize(), hp.gradientCheckpointing()),
                ServingPlanner.DEFAULT_GPU_MEMORY_UTILIZATION, 0, "medium");
        AimProfile profile = AimProfileGenerator.generate(shape, request);
        ObjectNode json = AimProfileJson.toJson(profile);
        json.put("model_id", fineTunedModelId());
        ObjectNode finetuning = (ObjectNode) json.get("finetuning");
        finetuning.put("base_model", spec.baseModel().modelId());
        finetuning.put("method", spec.method().id());
        finetuning.put("checkpoint", checkpointUri);
        return json;
    }

    /** The registry reference when there is one, else the job's name. */
    private String fineTunedModelId() {
        String registry = spec.output().registry();
        return registry != null ? registry : spec.name();
    }

    /** Copies the result folder to a local path or a Flink file-system URI; returns the URI it landed at. */
    static String copy(Path from, String to) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        if (!InputLocation.isUri(to)) {
            Path target = Path.of(to);
            for (Path f : files) {
                Path dest = target.resolve(from.relativize(f).toString());
                Files.createDirectories(dest.getParent());
                Files.copy(f, dest, StandardCopyOption.REPLACE_EXISTING);
            }
            return target.toAbsolutePath().toUri().toString();
        }
        org.apache.flink.core.fs.Path base = new org.apache.flink.core.fs.Path(to);
        FileSystem fs = base.getFileSystem();
        for (Path f : files) {
            org.apache.flink.core.fs.Path dest = new org.apache.flink.core.fs.Path(base, from.relativize(f).toString());
            try (InputStream in = Files.newInputStream(f);
                    FSDataOutputStream out = fs.create(dest, FileSystem.WriteMode.OVERWRITE)) {
                in.transferTo((OutputStream) out);
            }
        }
        return to;
    }
}
