"""``python3 -m tests.run_fake --config FILE``: the real CLI with the fake model, for subprocess tests.

Environment: FAKE_BLOCK_AT_STEP (wait for the file RUN_DIR/fake-go at that step), FAKE_FAIL_AT_STEP.
"""

import os
import sys

from aim_trainer.cli import main
from tests.fakes import FakeModel


def _int(name):
    value = os.environ.get(name)
    return int(value) if value else None


def factory(config, merge_weights):
    return FakeModel(config, merge_weights, block_at_step=_int("FAKE_BLOCK_AT_STEP"),
                     fail_at_step=_int("FAKE_FAIL_AT_STEP"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], model_factory=factory))
