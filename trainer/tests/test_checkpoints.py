import json
import os
import tempfile
import unittest

from aim_trainer import checkpoints
from aim_trainer.checkpoints import TrainerState


def backend_files(folder):
    os.makedirs(os.path.join(folder, "adapter"))
    for rel, text in (("adapter/adapter_model.safetensors", "weights"), ("adapter/adapter_config.json", "{}"),
                      ("optimizer.pt", "adam"), ("scheduler.pt", "cosine"), ("rng_state.pth", "rng")):
        with open(os.path.join(folder, rel), "w", encoding="utf-8") as f:
            f.write(text)


def state(step, best_step=None, best=None):
    return TrainerState(step=step, epoch=step / 10, samples_seen=step * 4, best_eval_loss=best, best_step=best_step,
                        seed=42)


class CheckpointsTest(unittest.TestCase):

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.run_dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def save(self, step, **kw):
        return checkpoints.save(self.run_dir, step, state(step, **kw), backend_files)

    def test_save_lists_every_file_with_its_hash_in_the_manifest(self):
        folder = self.save(200)
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        self.assertEqual(200, manifest["step"])
        self.assertIs(True, manifest["complete"])
        self.assertEqual(["adapter/adapter_config.json", "adapter/adapter_model.safetensors", "optimizer.pt",
                          "rng_state.pth", "scheduler.pt", "trainer_state.json"], sorted(manifest["files"]))
        self.assertEqual("sha256:" + checkpoints.sha256_file(os.path.join(folder, "optimizer.pt")),
                         manifest["files"]["optimizer.pt"])
        self.assertEqual(state(200), TrainerState.read(folder))
        self.assertIsNone(checkpoints.check(folder, 200))

    def test_incomplete_folders_are_told_apart(self):
        folder = self.save(10)
        with open(os.path.join(folder, "optimizer.pt"), "a", encoding="utf-8") as f:
            f.write("flipped")
        self.assertEqual("optimizer.pt does not match its sha256 in manifest.json", checkpoints.check(folder, 10))
        self.assertIsNone(checkpoints.check(folder, 10, verify_hashes=False))
        os.remove(os.path.join(folder, "scheduler.pt"))
        self.assertEqual("missing scheduler.pt", checkpoints.check(folder, 10))
        self.assertEqual("manifest.json step 10 does not match the folder (11)", checkpoints.check(folder, 11))
        os.remove(os.path.join(folder, "manifest.json"))
        self.assertEqual("no manifest.json (saving did not finish)", checkpoints.check(folder, 10))

    def test_a_manifest_may_not_point_outside_its_folder(self):
        folder = self.save(5)
        path = os.path.join(folder, "manifest.json")
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
        manifest["files"]["../../etc/passwd"] = "sha256:00"
        with open(path, "w", encoding="utf-8") as f:
            json.dump(manifest, f)
        self.assertEqual("manifest.json lists a path outside the checkpoint: ../../etc/passwd",
                         checkpoints.check(folder, 5))

    def test_saving_over_a_crashed_attempt_drops_its_stale_files(self):
        stale = checkpoints.folder_for(self.run_dir, 30)
        os.makedirs(stale)
        with open(os.path.join(stale, "half-written.bin"), "w", encoding="utf-8") as f:
            f.write("x")
        folder = self.save(30)
        self.assertFalse(os.path.exists(os.path.join(folder, "half-written.bin")))
        self.assertIsNone(checkpoints.check(folder, 30))

    def test_scan_and_latest_complete_skip_what_cannot_be_resumed(self):
        self.save(100)
        self.save(200)
        os.makedirs(os.path.join(self.run_dir, "checkpoint-300", "adapter"))  # a crash while saving
        os.makedirs(os.path.join(self.run_dir, "checkpoint-x"))
        os.makedirs(os.path.join(self.run_dir, "final"))
        found = checkpoints.scan(self.run_dir)
        self.assertEqual([100, 200, 300], [c.step for c in found])
        self.assertEqual([True, True, False], [c.complete for c in found])
        self.assertEqual(200, checkpoints.latest_complete(self.run_dir).step)

    def test_prune_keeps_the_last_k_plus_the_best(self):
        for step in (10, 20, 30, 40, 50):
            self.save(step)
        os.makedirs(os.path.join(self.run_dir, "checkpoint-25"))  # leftover of a crashed save
        deleted = checkpoints.prune(self.run_dir, keep_last=2, keep_best=True, best_step=20)
        self.assertEqual(["checkpoint-10", "checkpoint-25", "checkpoint-30"], sorted(os.path.basename(d) for d in deleted))
        self.assertEqual([20, 40, 50], [c.step for c in checkpoints.scan(self.run_dir)])

    def test_prune_without_keep_best_or_when_the_best_is_recent(self):
        for step in (10, 20, 30):
            self.save(step)
        checkpoints.prune(self.run_dir, keep_last=2, keep_best=True, best_step=30)
        self.assertEqual([20, 30], [c.step for c in checkpoints.scan(self.run_dir)])
        checkpoints.prune(self.run_dir, keep_last=1, keep_best=False, best_step=20)
        self.assertEqual([30], [c.step for c in checkpoints.scan(self.run_dir)])

    def test_step_of(self):
        self.assertEqual(400, checkpoints.step_of("checkpoint-400"))
        for name in ("checkpoint-", "checkpoint-4a", "checkpoint--1", "final", "checkpoint-١٢"):
            self.assertIsNone(checkpoints.step_of(name), name)


if __name__ == "__main__":
    unittest.main()
