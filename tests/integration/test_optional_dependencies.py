"""The matrix legs really are what they claim: every optional dependency in full, none in minimal."""

from __future__ import annotations

import importlib
import importlib.util
import os

import pytest

OPTIONAL = ["numpy", "aiohttp", "livekit.rtc", "livekit.agents"]
LEG = os.environ.get("AGENTUTILS_TEST_LEG")


@pytest.mark.skipif(LEG != "full", reason="only in the full matrix leg")
@pytest.mark.parametrize("module", OPTIONAL)
def test_full_leg_has_every_optional_dependency(module):
    # Tests skip when an optional dependency is missing; here nothing may be missing.
    importlib.import_module(module)


@pytest.mark.skipif(LEG != "minimal", reason="only in the minimal matrix leg")
@pytest.mark.parametrize("module", ["numpy", "aiohttp", "livekit"])
def test_minimal_leg_has_none(module):
    assert importlib.util.find_spec(module) is None
