package dev.aimnext.jobs.finetune.driver;

import dev.aimnext.operators.finetune.run.RunRecord;

import java.io.IOException;

/** What happens once the trainer has finished: copying the result out and writing the profile. */
@FunctionalInterface
public interface RunCompletion {

    /**
     * @return a one-line summary for the terminal and run.json
     * @throws IOException when the result cannot be copied or the profile written; the run then fails
     *     with that message, and its final checkpoint stays in the run folder
     */
    String complete(RunRecord run) throws IOException;
}
