"""The matrix legs really are what they claim: every optional dependency in full, none in minimal.

"Optional" is read from the members' own metadata: a package some member lists under an
extra and no installed member requires. agentutils-images requires numpy and
agentutils-http requires aiohttp, so both are present in every leg; that each other member
works without them is what the isolated environments (``iso-<member>``) prove.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
from importlib.metadata import requires

import pytest
from tests.conftest import MEMBERS, OPTIONAL_DISTRIBUTIONS

LEG = os.environ.get("AGENTUTILS_TEST_LEG")
# The reference, installed in the full leg as a test oracle.
REFERENCE = ["livekit.rtc", "livekit.agents"]


def _requirements(extra: bool) -> set[str]:
    """Third-party distributions the members require (``extra=False``) or offer as extras."""
    found: set[str] = set()
    for member in MEMBERS:
        for line in requires(f"agentutils-{member}") or []:
            name = re.split(r"[\s\[<>=!~;]", line, maxsplit=1)[0].lower()
            if not name.startswith("agentutils-") and ("extra ==" in line) is extra:
                found.add(name)
    return found


OPTIONAL = sorted(_requirements(extra=True) - _requirements(extra=False))


def _module(distribution: str) -> str:
    return OPTIONAL_DISTRIBUTIONS.get(distribution, distribution)


def test_every_optional_dependency_is_known_to_the_isolation_check():
    assert set(OPTIONAL) <= set(OPTIONAL_DISTRIBUTIONS)


@pytest.mark.skipif(LEG != "full", reason="only in the full matrix leg")
@pytest.mark.parametrize("module", [*(_module(d) for d in OPTIONAL), *REFERENCE])
def test_full_leg_has_every_optional_dependency(module):
    # Tests skip when an optional dependency is missing; here nothing may be missing.
    importlib.import_module(module)


@pytest.mark.skipif(LEG != "minimal", reason="only in the minimal matrix leg")
@pytest.mark.parametrize("module", [_module(d) for d in OPTIONAL])
def test_minimal_leg_has_none(module):
    assert importlib.util.find_spec(module) is None
