package dev.aimnext.jobs.finetune.launch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each attempt as a subprocess of the driver: the launch's command followed by
 * {@code --config FILE}, in the driver's working folder, with the launch's extra environment. The
 * trainer's stdout and stderr are both read line by line (a stall is "no line at all", and Python
 * tools log progress on stderr).
 */
public final class LocalProcessBackend implements TrainerBackend {

    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TrainerHandle launch(TrainerLaunch launch) throws IOException {
        if (launch.command().isEmpty()) {
            throw new IOException("no trainer command to run");
        }
        List<String> command = new ArrayList<>(launch.command());
        command.add("--config");
        command.add(launch.configFile().toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(launch.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot start the trainer '" + command.get(0) + "': " + e.getMessage(), e);
        }
        return new LocalTrainerHandle(process, launch.runId() + "-" + launch.attempt());
    }
}
