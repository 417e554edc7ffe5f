"""SIGTERM as a pause request (docs/FINETUNE-PROTOCOL.md section 4, exit code 75).

The handler only sets a flag: the training loop looks at it at the next step boundary, saves a
checkpoint there and exits 75. Stopping mid-step would leave gradients half accumulated, and a save
from inside a signal handler could race the optimizer. Kubernetes sends SIGTERM when the driver
deletes the pod for a pause and SIGKILL after the grace period, so the grace period must cover one
step plus one save. A second signal means "now": the process exits at once with 128 + signal.
SIGINT is treated the same way, because Ctrl-C in the driver's terminal reaches the trainer too.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

EXIT_PAUSED = 75  # EX_TEMPFAIL


class PauseRequest:
    """Set once a stop signal arrived; read by the training loop between steps."""

    def __init__(self) -> None:
        self.signal_name: str | None = None

    @property
    def requested(self) -> bool:
        return self.signal_name is not None

    def request(self, why: str = "requested") -> None:
        """Marks the pause without a signal (tests, or a caller that decides by itself)."""
        if self.signal_name is None:
            self.signal_name = why

    def install(self, signals: tuple[int, ...] = (signal.SIGTERM, signal.SIGINT)) -> "PauseRequest":
        """Installs the handler; must be called from the main thread (a Python rule for signals)."""
        for sig in signals:
            signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.signal_name is not None:
            print(f"aim_trainer: second stop signal ({name}); exiting without a checkpoint", file=sys.stderr,
                  flush=True)
            raise SystemExit(128 + signum)
        self.signal_name = name
        print(f"aim_trainer: {name} received; saving a checkpoint at the next step boundary, then exiting "
              f"{EXIT_PAUSED}", file=sys.stderr, flush=True)
