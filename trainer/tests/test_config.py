import copy
import json
import os
import tempfile
import unittest

from aim_trainer.config import ConfigError, from_dict, load_config, parse_config
from tests.fakes import config_dict


def valid():
    return config_dict("/runs/fake-run-1", tempfile.gettempdir())


class ConfigTest(unittest.TestCase):

    def errors_of(self, raw):
        with self.assertRaises(ConfigError) as ctx:
            from_dict(raw)
        return ctx.exception.errors

    def test_the_protocol_example_parses_field_for_field(self):
        c = from_dict(valid())
        self.assertEqual("fake-run-1", c.run_id)
        self.assertEqual("llama", c.base_model.model_type)
        self.assertEqual(("q_proj", "k_proj", "v_proj", "o_proj"), c.lora.target_modules)
        self.assertEqual(4, c.hyperparameters.samples_per_step)
        self.assertIsNone(c.hyperparameters.max_steps)
        self.assertIsNone(c.qlora)
        self.assertEqual(3, c.checkpoint.every_steps)

    def test_unknown_keys_are_errors_at_every_level_and_all_are_listed(self):
        raw = valid()
        raw["learning_rate"] = 1e-4
        raw["hyperparameters"]["lerning_rate"] = 1e-4
        raw["lora"]["rnak"] = 8
        errors = self.errors_of(raw)
        self.assertIn("learning_rate: unknown key", errors)
        self.assertIn("hyperparameters.lerning_rate: unknown key", errors)
        self.assertIn("lora.rnak: unknown key", errors)
        self.assertEqual(3, len(errors), errors)

    def test_bad_values_are_collected_with_their_paths(self):
        raw = valid()
        raw["method"] = "dora"
        raw["hyperparameters"]["epochs"] = 0
        raw["hyperparameters"]["bf16"] = 1
        raw["hyperparameters"]["micro_batch_size"] = True
        raw["hyperparameters"]["learning_rate"] = "2e-4"
        raw["checkpoint"]["keep_last"] = 2.5
        del raw["eval_every_steps"]
        errors = self.errors_of(raw)
        expected = ["method: must be one of lora, qlora, full", "hyperparameters.epochs: must be in [1, 10000]",
                    "hyperparameters.bf16: must be true or false", "hyperparameters.micro_batch_size: must be a whole",
                    "hyperparameters.learning_rate: must be a number", "checkpoint.keep_last: must be a whole number",
                    "eval_every_steps: missing"]
        for prefix in expected:
            self.assertTrue(any(e.startswith(prefix) for e in errors), f"{prefix} not in {errors}")
        self.assertEqual(len(expected), len(errors), errors)

    def test_nullable_keys_must_still_be_present(self):
        raw = valid()
        del raw["resume_from"]
        self.assertEqual(["resume_from: missing (write null for no value)"], self.errors_of(raw))

    def test_method_and_sections_must_agree(self):
        raw = valid()
        raw["method"] = "qlora"
        self.assertEqual(["qlora: required for method qlora"], self.errors_of(raw))
        raw["qlora"] = {"quant_type": "nf4", "double_quant": True, "compute_dtype": "bfloat16"}
        self.assertEqual("nf4", from_dict(raw).qlora.quant_type)
        raw["method"] = "full"
        errors = self.errors_of(raw)
        self.assertIn("qlora: must be null for method full", errors)
        self.assertTrue(any(e.startswith("lora: must be null for method full") for e in errors), errors)

    def test_lora_method_without_lora_section(self):
        raw = valid()
        raw["lora"] = None
        self.assertEqual(["lora: required for method lora"], self.errors_of(raw))

    def test_a_broken_section_is_reported_once(self):
        raw = valid()
        raw["lora"] = {"rank": 0, "alpha": 32, "dropout": 0.05, "target_modules": []}
        self.assertEqual(["lora.rank: must be in [1, 4096], got 0"], self.errors_of(raw))

    def test_phi3_gets_a_hint_for_unfused_names(self):
        raw = valid()
        raw["base_model"]["model_type"] = "phi3"
        errors = self.errors_of(raw)
        self.assertEqual(1, len(errors))
        self.assertIn("q_proj, k_proj, v_proj not in phi3's modules", errors[0])
        self.assertIn("use qkv_proj", errors[0])
        raw["lora"]["target_modules"] = ["qkv_proj", "o_proj", "gate_up_proj"]
        self.assertEqual(("qkv_proj", "o_proj", "gate_up_proj"), from_dict(raw).lora.target_modules)

    def test_task_and_format_must_agree(self):
        raw = valid()
        raw["task"] = "sequence_classification"
        raw["lora"]["target_modules"] = []
        errors = self.errors_of(raw)
        self.assertEqual(["dataset.format: tokenized_parquet cannot train task sequence_classification; expected "
                          "one of classification_jsonl"], errors)

    def test_qlora_is_refused_for_classifiers(self):
        raw = valid()
        raw.update(task="sequence_classification", method="qlora",
                   qlora={"quant_type": "nf4", "double_quant": True, "compute_dtype": "bfloat16"})
        raw["dataset"]["format"] = "classification_jsonl"
        raw["dataset"]["train"] = "/data/train.jsonl"
        raw["base_model"]["model_type"] = "bert"
        raw["lora"]["target_modules"] = ["query", "value"]
        self.assertEqual(["method: qlora is not supported for sequence_classification (use lora or full)"],
                         self.errors_of(raw))

    def test_json_problems(self):
        with self.assertRaises(ConfigError) as ctx:
            parse_config('{"run_id": "a", "run_id": "b"}')
        self.assertIn("duplicate key 'run_id'", ctx.exception.errors[0])
        with self.assertRaises(ConfigError) as ctx:
            parse_config(json.dumps(valid()).replace('"learning_rate": 0.05', '"learning_rate": NaN'))
        self.assertIn("NaN is not a number", ctx.exception.errors[0])
        with self.assertRaises(ConfigError) as ctx:
            parse_config("[1, 2]")
        self.assertEqual(["the config must be a JSON object"], ctx.exception.errors)

    def test_run_id_may_not_leave_the_runs_folder(self):
        raw = valid()
        raw["run_id"] = "../x"
        self.assertTrue(self.errors_of(raw)[0].startswith("run_id: must not contain '/'"))

    def test_load_config_reports_an_unreadable_file(self):
        with self.assertRaises(ConfigError) as ctx:
            load_config("/nonexistent/trainer-config.json")
        self.assertIn("cannot read", ctx.exception.errors[0])

    def test_message_lists_every_error(self):
        raw = copy.deepcopy(valid())
        raw["task"] = "chat"
        raw["log_every_steps"] = -1
        with self.assertRaises(ConfigError) as ctx:
            from_dict(raw)
        text = str(ctx.exception)
        self.assertIn("2 error(s)", text)
        self.assertIn("  - task: must be one of causal_lm, sequence_classification", text)
        self.assertIn("  - log_every_steps: must be in [1, 1000000000], got -1", text)

    def test_whole_floats_are_accepted_as_integers(self):
        raw = valid()
        raw["hyperparameters"]["epochs"] = 3.0
        self.assertEqual(3, from_dict(raw).hyperparameters.epochs)

    def test_load_config_reads_a_file(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "c.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(valid(), f)
            self.assertEqual("lora", load_config(path).method)


if __name__ == "__main__":
    unittest.main()
