import io
import json
import os
import unittest

from aim_trainer import checkpoints
from aim_trainer.config import from_dict
from aim_trainer.events import EventWriter
from aim_trainer.loop import TrainingDiverged, TrainingLoop
from aim_trainer.pause import PauseRequest
from tests.fakes import FakeModel, TempRun, config_dict


class PauseAfter(PauseRequest):
    """Requests the pause once the model has run ``steps`` steps, as SIGTERM during that step would."""

    def __init__(self, model, steps):
        super().__init__()
        self.model, self.steps = model, steps

    @property
    def requested(self):
        return len(self.model.steps_run) >= self.steps


class TrainingLoopTest(unittest.TestCase):

    def setUp(self):
        self.tmp = TempRun().__enter__()
        self.addCleanup(self.tmp.__exit__)

    def attempt(self, pause_after=None, resume_from=None, eval_losses=None, **overrides):
        config = from_dict(config_dict(self.tmp.run_dir, self.tmp.data_dir, resume_from=resume_from, **overrides))
        model = FakeModel(config, eval_losses=eval_losses)
        out = io.StringIO()
        pause = PauseAfter(model, pause_after) if pause_after is not None else PauseRequest()
        code = TrainingLoop(config, model, EventWriter(config.run_id, config.run_dir, out=out), pause).run()
        return code, [json.loads(line) for line in out.getvalue().splitlines()], model

    def test_a_run_emits_events_on_its_cadence_and_keeps_the_checkpoint_policy(self):
        # 23 rows, 4 per step: 6 steps per epoch, 12 in all; log every 2, eval every 4, checkpoint every 3.
        code, events, _ = self.attempt(eval_losses={4: 0.1, 8: 0.5, 12: 0.6})
        self.assertEqual(0, code)
        kinds = [(e["aim_event"], e["step"]) for e in events]
        self.assertEqual([("STARTED", 0), ("STEP", 2), ("CHECKPOINT", 3), ("STEP", 4), ("EVAL", 4), ("STEP", 6),
                          ("CHECKPOINT", 6), ("STEP", 8), ("EVAL", 8), ("CHECKPOINT", 9), ("STEP", 10),
                          ("STEP", 12), ("EVAL", 12), ("CHECKPOINT", 12), ("COMPLETED", 12)], kinds)
        self.assertEqual(12, events[0]["total_steps"])
        self.assertEqual("fresh start", events[0]["message"])
        self.assertAlmostEqual(46 / 23, events[-1]["epoch"])
        self.assertEqual(os.path.join(self.tmp.run_dir, "final"), events[-1]["checkpoint_path"])
        self.assertTrue(os.path.isfile(os.path.join(self.tmp.run_dir, "final", "adapter", "adapter_model.safetensors")))
        # keep_last 2 plus the best: the eval at step 4 is the best, and checkpoint-6 is the first judged by it.
        self.assertEqual([6, 9, 12], [c.step for c in checkpoints.scan(self.tmp.run_dir)])
        state = checkpoints.TrainerState.read(checkpoints.folder_for(self.tmp.run_dir, 12))
        self.assertEqual((12, 46, 42), (state.step, state.samples_seen, state.seed))
        self.assertEqual((0.1, 6), (state.best_eval_loss, state.best_step))

    def test_a_pause_checkpoints_at_the_step_boundary_and_a_resume_continues_exactly(self):
        _, straight, straight_model = self.attempt()
        straight_losses = [(e["step"], e["loss"]) for e in straight if e["aim_event"] == "STEP"]
        with open(os.path.join(self.tmp.run_dir, "final", "adapter", "adapter_model.safetensors")) as f:
            straight_weights = json.load(f)
        for name in os.listdir(self.tmp.run_dir):
            if name.startswith(("checkpoint-", "final")):
                __import__("shutil").rmtree(os.path.join(self.tmp.run_dir, name))

        code, first, _ = self.attempt(pause_after=5)
        self.assertEqual(75, code)
        self.assertEqual(("CHECKPOINT", 5), (first[-1]["aim_event"], first[-1]["step"]))
        paused_at = checkpoints.folder_for(self.tmp.run_dir, 5)
        self.assertIsNone(checkpoints.check(paused_at, 5))

        code, second, resumed = self.attempt(resume_from=paused_at)
        self.assertEqual(0, code)
        self.assertEqual(paused_at, resumed.built_with)
        self.assertEqual(("STARTED", 5, "resumed from checkpoint-5"),
                         (second[0]["aim_event"], second[0]["step"], second[0]["message"]))
        self.assertEqual(list(range(6, 13)), [s for s, _ in resumed.steps_run])
        self.assertEqual(straight_model.steps_run[5:], resumed.steps_run)  # same rows in the same order
        resumed_losses = [(e["step"], e["loss"]) for e in first + second if e["aim_event"] == "STEP"]
        self.assertEqual(straight_losses, resumed_losses)  # dropout generator and momentum restored too
        with open(os.path.join(self.tmp.run_dir, "final", "adapter", "adapter_model.safetensors")) as f:
            self.assertEqual(straight_weights, json.load(f))

    def test_a_pause_right_after_a_checkpoint_does_not_save_twice(self):
        code, events, _ = self.attempt(pause_after=3)
        self.assertEqual(75, code)
        self.assertEqual(1, sum(1 for e in events if e["aim_event"] == "CHECKPOINT"))

    def test_a_pause_before_the_first_step_saves_nothing(self):
        code, events, model = self.attempt(pause_after=0)
        self.assertEqual(75, code)
        self.assertEqual(["STARTED"], [e["aim_event"] for e in events])
        self.assertEqual([], checkpoints.scan(self.tmp.run_dir))
        self.assertEqual([], model.steps_run)

    def test_resuming_a_finished_run_only_writes_the_output(self):
        self.attempt()
        last = checkpoints.folder_for(self.tmp.run_dir, 12)
        code, events, model = self.attempt(resume_from=last)
        self.assertEqual(0, code)
        self.assertEqual(["STARTED", "COMPLETED"], [e["aim_event"] for e in events])
        self.assertEqual([], model.steps_run)

    def test_max_steps_beyond_the_epochs_keeps_cycling_the_data(self):
        hp = config_dict(self.tmp.run_dir, self.tmp.data_dir)["hyperparameters"]
        hp.update(max_steps=15)
        code, events, model = self.attempt(hyperparameters=hp)
        self.assertEqual(0, code)
        self.assertEqual(15, events[0]["total_steps"])
        self.assertEqual(15, len(model.steps_run))

    def test_a_diverged_loss_stops_the_run(self):
        config = from_dict(config_dict(self.tmp.run_dir, self.tmp.data_dir))
        model = FakeModel(config, nan_at_step=2)
        loop = TrainingLoop(config, model, EventWriter(config.run_id, config.run_dir, out=io.StringIO()),
                            PauseRequest())
        with self.assertRaises(TrainingDiverged) as ctx:
            loop.run()
        self.assertEqual("loss is nan at step 2", str(ctx.exception))

    def test_no_eval_split_means_no_eval_events(self):
        config = from_dict(config_dict(self.tmp.run_dir, self.tmp.data_dir))
        model = FakeModel(config, eval_rows=0)
        out = io.StringIO()
        self.assertEqual(0, TrainingLoop(config, model, EventWriter(config.run_id, config.run_dir, out=out),
                                         PauseRequest()).run())
        self.assertNotIn('"EVAL"', out.getvalue())


if __name__ == "__main__":
    unittest.main()
