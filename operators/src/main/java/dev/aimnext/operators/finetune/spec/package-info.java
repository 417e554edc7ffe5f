/**
 * The {@code FineTuningJob} spec (apiVersion {@code aim.amd.com/v1alpha1}, the CRD's shape):
 * {@link dev.aimnext.operators.finetune.spec.FineTuningJobParser} reads the YAML, merges the
 * template it extends ({@code chat}, {@code code}, {@code summarization} or a file) and reports
 * every invalid field at once with its path in a
 * {@link dev.aimnext.operators.finetune.spec.SpecException}. The JSON Schema of the same shape is
 * {@code aim-schemas/profile/fine-tuning-job.schema.json} in the schemas module.
 */
package dev.aimnext.operators.finetune.spec;
