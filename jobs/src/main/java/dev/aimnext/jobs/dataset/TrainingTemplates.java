package dev.aimnext.jobs.dataset;

import dev.aimnext.operators.finetune.template.TemplateException;
import dev.aimnext.operators.finetune.template.TrainingTemplate;
import dev.aimnext.operators.finetune.template.TrainingTemplateParser;

import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads a training template and validates all of it, the {@code dataset:} section included, whose
 * keys and values must be valid dataset job settings. So a template that loads can be used as is.
 */
public final class TrainingTemplates {

    private TrainingTemplates() {}

    public static TrainingTemplate load(Path file) throws IOException {
        TrainingTemplate template = TrainingTemplateParser.parse(file);
        try {
            DatasetOptions.settings(datasetConfiguration(template, file.toString()));
        } catch (IllegalArgumentException e) {
            throw new TemplateException(file + ": dataset: " + e.getMessage());
        }
        return template;
    }

    /** The template's {@code dataset:} section as dataset job configuration. */
    public static Configuration datasetConfiguration(TrainingTemplate template, String source) {
        return DatasetSpec.fromSpecKeys(template.dataset(), source + " (dataset:)");
    }
}
