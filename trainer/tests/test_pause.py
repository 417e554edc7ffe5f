import os
import signal
import unittest

from aim_trainer.pause import PauseRequest


class PauseRequestTest(unittest.TestCase):

    def setUp(self):
        self.saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}

    def tearDown(self):
        for s, handler in self.saved.items():
            signal.signal(s, handler)

    def test_sigterm_sets_the_flag_and_a_second_signal_exits_at_once(self):
        pause = PauseRequest().install()
        self.assertFalse(pause.requested)
        os.kill(os.getpid(), signal.SIGTERM)  # delivered to the main thread before the next bytecode
        self.assertTrue(pause.requested)
        self.assertEqual("SIGTERM", pause.signal_name)
        with self.assertRaises(SystemExit) as ctx:
            os.kill(os.getpid(), signal.SIGINT)
        self.assertEqual(128 + signal.SIGINT, ctx.exception.code)

    def test_request_without_a_signal(self):
        pause = PauseRequest()
        pause.request("test")
        pause.request("again")
        self.assertEqual("test", pause.signal_name)


if __name__ == "__main__":
    unittest.main()
