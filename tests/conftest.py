"""Hypothesis profiles for the whole suite.

- ``ci`` (default): deterministic (``derandomize``), no example database, a modest number of examples,
  no deadline (the first call of a step compiles its tables), ``too_slow`` suppressed.
- ``long``: random seeds and many more examples, for nightly-style runs: ``HYPOTHESIS_PROFILE=long pytest``.

Tests that are expensive per example ask for a fraction of the profile's examples (see
``tests/properties/test_properties.py``), so ``long`` scales them too.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=1000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
