import os
import tempfile
import unittest

from aim_trainer import checkpoints, resume
from aim_trainer.config import ConfigError, from_dict
from tests.fakes import config_dict
from tests.test_checkpoints import backend_files, state


class ResumeTest(unittest.TestCase):

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.run_dir = os.path.join(self._tmp.name, "run")

    def tearDown(self):
        self._tmp.cleanup()

    def config(self, resume_from, seed=42):
        raw = config_dict(self.run_dir, self._tmp.name, resume_from=resume_from)
        raw["hyperparameters"]["seed"] = seed
        return from_dict(raw)

    def test_fresh_start(self):
        point = resume.decide(self.config(None))
        self.assertEqual((None, None, "fresh start"), (point.path, point.state, point.message))

    def test_a_complete_checkpoint_is_resumed_with_its_state(self):
        folder = checkpoints.save(self.run_dir, 40, state(40, best_step=40, best=0.7), backend_files)
        point = resume.decide(self.config(folder))
        self.assertEqual(folder, point.path)
        self.assertEqual((40, 160, 0.7, 40), (point.state.step, point.state.samples_seen, point.state.best_eval_loss,
                                              point.state.best_step))
        self.assertEqual("resumed from checkpoint-40", point.message)

    def test_a_damaged_pick_falls_back_to_the_newest_complete_one(self):
        checkpoints.save(self.run_dir, 20, state(20), backend_files)
        damaged = checkpoints.save(self.run_dir, 40, state(40), backend_files)
        with open(os.path.join(damaged, "adapter", "adapter_model.safetensors"), "w", encoding="utf-8") as f:
            f.write("truncated")
        point = resume.decide(self.config(damaged))
        self.assertEqual(20, point.state.step)
        self.assertEqual("resumed from checkpoint-20 (checkpoint-40 is incomplete: adapter/adapter_model.safetensors"
                         " does not match its sha256 in manifest.json)", point.message)

    def test_nothing_to_resume_from_is_a_config_error(self):
        with self.assertRaises(ConfigError) as ctx:
            resume.decide(self.config(os.path.join(self.run_dir, "checkpoint-40")))
        self.assertIn("checkpoint-40: no such folder, and", ctx.exception.errors[0])
        with self.assertRaises(ConfigError) as ctx:
            resume.decide(self.config(os.path.join(self.run_dir, "final")))
        self.assertIn("not a checkpoint-<step> folder", ctx.exception.errors[0])

    def test_a_checkpoint_of_another_seed_is_refused(self):
        folder = checkpoints.save(self.run_dir, 40, state(40), backend_files)
        with self.assertRaises(ConfigError) as ctx:
            resume.decide(self.config(folder, seed=7))
        self.assertIn("was trained with seed 42, the config says 7", ctx.exception.errors[0])


if __name__ == "__main__":
    unittest.main()
