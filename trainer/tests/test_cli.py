import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
import unittest

from aim_trainer import checkpoints
from tests.fakes import TempRun

TRAINER_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(module, *args, env=None, wait=True):
    command = [sys.executable, "-m", module, *args]
    environment = dict(os.environ, PYTHONPATH=TRAINER_ROOT, PYTHONDONTWRITEBYTECODE="1", **(env or {}))
    process = subprocess.Popen(command, cwd=TRAINER_ROOT, env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    if not wait:
        return process
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def events(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


class CliTest(unittest.TestCase):

    def setUp(self):
        self.tmp = TempRun().__enter__()
        self.addCleanup(self.tmp.__exit__)

    def test_a_bad_config_exits_2_and_lists_every_error(self):
        path = self.tmp.write_config(method="dora", log_every_steps=0, extra_key=1)
        code, out, err = run("aim_trainer", "--config", path)
        self.assertEqual(2, code)
        self.assertEqual("", out)
        self.assertIn("3 error(s) in the trainer config", err)
        for problem in ("method: must be one of lora, qlora, full", "log_every_steps: must be in [1, 1000000000]",
                        "extra_key: unknown key"):
            self.assertIn(problem, err)

    def test_missing_files_exit_2_before_anything_loads(self):
        path = self.tmp.write_config()
        os.remove(os.path.join(self.tmp.data_dir, "train.parquet"))
        code, _, err = run("aim_trainer", "--config", path)
        self.assertEqual(2, code)
        self.assertIn("dataset.train: ", err)
        self.assertIn("is not a file", err)

    def test_usage_errors_exit_2(self):
        code, _, err = run("aim_trainer")
        self.assertEqual(2, code)
        self.assertIn("--config", err)

    def test_without_torch_the_real_backend_fails_with_a_failed_event(self):
        if importlib.util.find_spec("torch") is not None:
            self.skipTest("torch is installed; this checks the message when it is not")
        code, out, err = run("aim_trainer", "--config", self.tmp.write_config())
        self.assertEqual(1, code)
        failed = events(out)[-1]
        self.assertEqual("FAILED", failed["aim_event"])
        self.assertIn("MissingDependencies", failed["message"])
        self.assertIn("torch", failed["message"])

    def test_a_completed_run_exits_0(self):
        code, out, err = run("tests.run_fake", "--config", self.tmp.write_config(), "--merge-weights")
        self.assertEqual(0, code, err)
        kinds = [e["aim_event"] for e in events(out)]
        self.assertEqual("STARTED", kinds[0])
        self.assertEqual("COMPLETED", kinds[-1])
        self.assertTrue(os.path.isfile(os.path.join(self.tmp.run_dir, "final", "merged", "model.safetensors")))
        with open(os.path.join(self.tmp.run_dir, "events.jsonl"), encoding="utf-8") as f:
            self.assertEqual(out, f.read())  # nothing but events on stdout

    def test_a_crash_exits_1_with_a_failed_event(self):
        code, out, err = run("tests.run_fake", "--config", self.tmp.write_config(), env={"FAKE_FAIL_AT_STEP": "4"})
        self.assertEqual(1, code)
        failed = events(out)[-1]
        self.assertEqual(("FAILED", 3, "RuntimeError: fake crash at step 4"),
                         (failed["aim_event"], failed["step"], failed["message"]))
        self.assertIn("Traceback", err)

    def test_sigterm_saves_a_checkpoint_and_exits_75_then_resume_completes(self):
        path = self.tmp.write_config()
        process = run("tests.run_fake", "--config", path, env={"FAKE_BLOCK_AT_STEP": "5"}, wait=False)
        blocked = os.path.join(self.tmp.run_dir, "fake-blocked")
        while not os.path.exists(blocked) and process.poll() is None:
            time.sleep(0.01)
        process.send_signal(signal.SIGTERM)
        open(os.path.join(self.tmp.run_dir, "fake-go"), "w").close()
        out, err = process.communicate(timeout=120)
        self.assertEqual(75, process.returncode, err)
        self.assertIn("SIGTERM received", err)
        last = events(out)[-1]
        self.assertEqual(("CHECKPOINT", 5), (last["aim_event"], last["step"]))
        folder = checkpoints.folder_for(self.tmp.run_dir, 5)
        self.assertIsNone(checkpoints.check(folder, 5))

        code, out, err = run("tests.run_fake", "--config", self.tmp.write_config(resume_from=folder))
        self.assertEqual(0, code, err)
        self.assertEqual("resumed from checkpoint-5", events(out)[0]["message"])
        self.assertEqual("COMPLETED", events(out)[-1]["aim_event"])

    def test_an_unusable_resume_from_exits_2(self):
        path = self.tmp.write_config(resume_from=os.path.join(self.tmp.run_dir, "checkpoint-9"))
        code, out, err = run("tests.run_fake", "--config", path)
        self.assertEqual(2, code)
        self.assertEqual("FAILED", events(out)[-1]["aim_event"])
        self.assertIn("has no complete checkpoint", err)


if __name__ == "__main__":
    unittest.main()
