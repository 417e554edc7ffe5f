"""Entry point: ``python3 -m aim_trainer --config FILE``."""

import sys

if sys.version_info < (3, 10):
    sys.exit("aim_trainer needs Python 3.10 or newer")

from .cli import main  # noqa: E402 - after the version check on purpose

sys.exit(main())
