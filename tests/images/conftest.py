"""Fixtures and frame makers shared by the agentutils-images tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentutils_images import ENCODER_ENV_VAR


@pytest.fixture(autouse=True)
def _no_encoder_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start without AGENTUTILS_IMAGE_ENCODER, whatever the calling shell sets."""
    monkeypatch.delenv(ENCODER_ENV_VAR, raising=False)


@pytest.fixture
def fresh_plugins() -> Iterator[None]:
    """Rediscover plugins before and after the test (selections cache availability)."""
    from agentutils_core import reset_plugin_manager

    reset_plugin_manager()
    yield
    reset_plugin_manager()
