"""Fixtures shared by the agentutils-codecs tests."""

from __future__ import annotations

import pytest

from agentutils_codecs import DECODER_ENV_VAR


@pytest.fixture(autouse=True)
def _no_decoder_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start without AGENTUTILS_AUDIO_DECODER, whatever the calling shell sets."""
    monkeypatch.delenv(DECODER_ENV_VAR, raising=False)
