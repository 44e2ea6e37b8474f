"""Hypothesis profiles for the whole suite.

- ``ci`` (default): deterministic (``derandomize``), no example database, a modest number of examples,
  no deadline (the first call of a step compiles its tables), ``too_slow`` suppressed.
- ``long``: random seeds and many more examples, for nightly-style runs: ``HYPOTHESIS_PROFILE=long pytest``.

Tests that are expensive per example ask for a fraction of the profile's examples (see
``tests/properties/test_properties.py``), so ``long`` scales them too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
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


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Derandomized examples do not depend on the folder a test lives in.

    For a parametrized test, hypothesis's pytest plugin seeds the examples with the test's node id
    (``tests/run/test_x.py::test_y[a]``), so moving a file between the layer folders would run other
    examples. This hook (running after the plugin's) keys them by ``tests/<file name>::...``, the id the test
    had before the tests were grouped in folders, so the examples stay the reviewed ones. It sets the one
    attribute the plugin itself sets for this purpose (``_hypothesis_internal_add_digest``)."""
    inner = getattr(getattr(getattr(item, "obj", None), "hypothesis", None), "inner_test", None)
    if inner is not None and getattr(inner, "_hypothesis_internal_add_digest", None) is not None:
        path, _, rest = item.nodeid.partition("::")
        inner._hypothesis_internal_add_digest = f"tests/{path.rsplit('/', 1)[-1]}::{rest}".encode()
    yield
