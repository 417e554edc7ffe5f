import io
import json
import os
import tempfile
import unittest

from aim_trainer.events import COMMON, FIELDS, EventWriter


class EventWriterTest(unittest.TestCase):

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.run_dir = os.path.join(self._tmp.name, "run")
        self.out = io.StringIO()
        self.writer = EventWriter("run-1", self.run_dir, out=self.out, clock=lambda: 1764290000.123)

    def tearDown(self):
        self._tmp.cleanup()

    def lines(self):
        return [json.loads(line) for line in self.out.getvalue().splitlines()]

    def test_every_kind_carries_exactly_the_protocol_fields(self):
        self.writer.started(0, 0.0, "fresh start", 120)
        self.writer.step(10, 0.25, 1.5, 2e-4, 0.9, 5120.0, 17179869184, 840.0)
        self.writer.evaluated(10, 0.25, 1.2)
        self.writer.checkpoint(10, 0.25, "/runs/r/checkpoint-10")
        self.writer.completed(12, 0.3, "/runs/r/final")
        self.writer.failed(12, 0.3, "RuntimeError: boom")
        events = self.lines()
        self.assertEqual(list(FIELDS), [e["aim_event"] for e in events])
        for e in events:
            self.assertEqual(set(COMMON) | set(FIELDS[e["aim_event"]]), set(e), e)
            self.assertEqual("run-1", e["run_id"])
            self.assertEqual(1764290000123, e["emitted_at_ms"])
        self.assertEqual({"aim_event": "STEP", "run_id": "run-1", "step": 10, "epoch": 0.25,
                          "emitted_at_ms": 1764290000123, "loss": 1.5, "learning_rate": 2e-4, "grad_norm": 0.9,
                          "tokens_per_sec": 5120.0, "gpu_memory_bytes": 17179869184, "eta_sec": 840.0}, events[1])
        self.assertEqual(120, events[0]["total_steps"])

    def test_stdout_and_events_jsonl_get_the_same_lines(self):
        self.writer.started(0, 0.0, "fresh start", 5)
        self.writer.evaluated(5, 1.0, 0.5)
        with open(os.path.join(self.run_dir, "events.jsonl"), encoding="utf-8") as f:
            self.assertEqual(self.out.getvalue(), f.read())

    def test_events_jsonl_is_appended_across_writers(self):
        self.writer.started(0, 0.0, "fresh start", 5)
        EventWriter("run-1", self.run_dir, out=io.StringIO()).started(3, 0.5, "resumed from checkpoint-3", 5)
        with open(os.path.join(self.run_dir, "events.jsonl"), encoding="utf-8") as f:
            self.assertEqual(["fresh start", "resumed from checkpoint-3"], [json.loads(x)["message"] for x in f])

    def test_unmeasured_metrics_are_null_and_a_nan_loss_stays_a_number(self):
        self.writer.step(1, 0.0, float("nan"), None, None, None, None, None)
        line = self.out.getvalue().strip()
        self.assertIn('"loss": NaN', line)
        self.assertIn('"gpu_memory_bytes": null', line)

    def test_fields_outside_the_protocol_are_refused(self):
        with self.assertRaises(ValueError) as ctx:
            self.writer.emit("EVAL", 1, 0.0, eval_loss=1.0, eval_accuracy=0.9)
        self.assertIn("extra ['eval_accuracy']", str(ctx.exception))
        with self.assertRaises(ValueError):
            self.writer.emit("PAUSED", 1, 0.0)
        with self.assertRaises(ValueError):
            self.writer.emit("CHECKPOINT", 1, 0.0)
        with self.assertRaises(ValueError) as ctx:
            self.writer.failed(1, 0.0, None)
        self.assertIn("FAILED needs a value for message", str(ctx.exception))
        self.assertEqual("", self.out.getvalue())

    def test_counts_are_whole_numbers(self):
        self.writer.step(2, 0.1, 1.0, 1e-4, 1.0, 10.0, 123.0, 5.0)
        self.assertIsInstance(self.lines()[0]["gpu_memory_bytes"], int)


if __name__ == "__main__":
    unittest.main()
