import unittest

from aim_trainer import lora_targets


class LoraTargetsTest(unittest.TestCase):

    def test_defaults_per_architecture(self):
        for arch in ("llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2"):
            self.assertEqual(["q_proj", "k_proj", "v_proj", "o_proj"], lora_targets.defaults(arch), arch)
        self.assertEqual(["qkv_proj", "o_proj"], lora_targets.defaults("phi3"))
        self.assertEqual(["query", "value"], lora_targets.defaults("bert"))

    def test_resolve_keeps_given_names_and_fills_in_defaults(self):
        self.assertEqual(["gate_proj"], lora_targets.resolve("llama", ("gate_proj",)))
        self.assertEqual(["qkv_proj", "o_proj"], lora_targets.resolve("phi3", ()))

    def test_check(self):
        self.assertIsNone(lora_targets.check("llama", ["q_proj", "down_proj"]))
        self.assertIsNone(lora_targets.check("phi3", ["qkv_proj", "gate_up_proj", "down_proj"]))
        self.assertEqual("gate_proj, up_proj not in phi3's modules qkv_proj, o_proj, gate_up_proj, down_proj "
                         "(phi3 fuses these projections: use gate_up_proj)",
                         lora_targets.check("phi3", ["gate_proj", "up_proj"]))
        self.assertEqual("qkv_proj not in mistral's modules q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, "
                         "down_proj", lora_targets.check("mistral", ["qkv_proj"]))
        self.assertIsNone(lora_targets.check("falcon", ["query_key_value"]))  # unknown: PEFT decides
        self.assertIn("no default targets for model_type falcon", lora_targets.check("falcon", []))


if __name__ == "__main__":
    unittest.main()
