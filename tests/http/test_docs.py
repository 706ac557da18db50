"""The README's examples run; the package's exports are complete and documented; import stays light."""

from __future__ import annotations

import inspect
from pathlib import Path

from tests.conftest import loaded_after

import agentutils_http

README = Path(__file__).resolve().parents[2] / "packages" / "http" / "README.md"


def test_import_does_not_import_aiohttp():
    assert loaded_after("import agentutils_http", ["aiohttp"]) == []


def test_every_public_name_is_exported_and_documented():
    assert sorted(dir(agentutils_http)) == sorted({*agentutils_http.__all__, *vars(agentutils_http)})
    for name in agentutils_http.__all__:
        value = getattr(agentutils_http, name)
        if inspect.isclass(value) or inspect.isfunction(value) or inspect.ismodule(value):
            assert value.__doc__, name
        if inspect.ismodule(value):
            for public in value.__all__:
                assert getattr(value, public).__doc__, f"{name}.{public}"


def test_http_context_is_the_upstream_module_shape():
    from agentutils_http import http_context

    assert http_context.__all__ == ["http_session", "open"]
    assert agentutils_http.http_session is http_context.http_session
