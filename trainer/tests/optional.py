"""Skips for tests that need packages the stdlib test run may not have, with the reason printed once."""

import importlib.util
import sys
import unittest

_printed = set()


def needs(*modules):
    """A class decorator that skips the tests unless every module imports; says which are missing."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    reason = f"needs {', '.join(missing)} (not installed here)" if missing else ""
    if missing and reason not in _printed:
        _printed.add(reason)
        print(f"aim_trainer tests: skipping some tests: {reason}", file=sys.stderr)
    return unittest.skipIf(bool(missing), reason)
