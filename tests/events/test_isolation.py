from __future__ import annotations

import subprocess
import sys

from tests.conftest import MEMBER_DEPENDS, MEMBER_THIRD_PARTY


def test_only_own_dependencies_installed(isolation_check):
    isolation_check("events")


def test_depends_on_nothing():
    # The user who wants only the emitter installs one wheel and nothing else.
    assert MEMBER_DEPENDS["events"] == set()
    assert MEMBER_THIRD_PARTY["events"] == set()


def test_every_feature_runs_without_core():
    # Emitting, the async emitter and wait_for import no sibling member.
    code = (
        "import asyncio, sys\n"
        "from agentutils_events import AsyncEventEmitter, EventEmitter\n"
        "async def main():\n"
        "    em = AsyncEventEmitter[str]()\n"
        "    async def on_a(x):\n"
        "        em.emit('b', x)\n"
        "    em.on('a', on_a)\n"
        "    waiter = asyncio.ensure_future(em.wait_for('b', timeout=5))\n"
        "    await asyncio.sleep(0)\n"
        "    em.emit('a', 1)\n"
        "    assert await waiter == (1,)\n"
        "    await em.aclose()\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in sys.modules if m.startswith('agentutils') and m != 'agentutils_events'"
        " and not m.startswith('agentutils_events.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
