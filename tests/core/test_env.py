"""resolve_env_var and resolve_env_int: upstream's contract, whitespace, bad values and bad arguments."""

from __future__ import annotations

import doctest
import logging
import os

import pytest
from hypothesis import given, strategies as st
from tests.conftest import require

import agentutils_core
from agentutils_core import NOT_GIVEN, env as env_module, resolve_env_int, resolve_env_var

A, B = "AGENTUTILS_TEST_ENV_A", "AGENTUTILS_TEST_ENV_B"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in (A, B):
        monkeypatch.delenv(name, raising=False)


class TestResolveEnvVar:
    def test_explicit_value_wins_even_when_empty(self, monkeypatch):
        monkeypatch.setenv(A, "from-env")
        assert resolve_env_var("explicit", A) == "explicit"
        assert resolve_env_var("", A, default="d") == ""

    def test_first_set_variable_in_order(self, monkeypatch):
        monkeypatch.setenv(B, "b")
        assert resolve_env_var(NOT_GIVEN, A, B) == "b"
        monkeypatch.setenv(A, "a")
        assert resolve_env_var(NOT_GIVEN, A, B) == "a"
        assert resolve_env_var(NOT_GIVEN, B, A) == "b"

    def test_empty_variable_is_skipped_whitespace_is_a_value(self, monkeypatch):
        monkeypatch.setenv(A, "")
        monkeypatch.setenv(B, " ")
        assert resolve_env_var(NOT_GIVEN, A, B, default="d") == " "
        monkeypatch.delenv(B)
        assert resolve_env_var(NOT_GIVEN, A, B, default="d") == "d"

    def test_default_when_nothing_set(self):
        assert resolve_env_var(NOT_GIVEN, A, B) == ""
        assert resolve_env_var(NOT_GIVEN, default="d") == "d"

    @given(
        values=st.lists(st.one_of(st.none(), st.text(st.characters(codec="utf-8", exclude_characters="\0"))),
                        min_size=2, max_size=2),
        default=st.text(),
    )  # fmt: skip
    def test_matches_the_rule(self, values, default):
        # The rule written independently: the first present, non-empty value, else the default.
        names = [A, B]
        saved = {n: os.environ.pop(n, None) for n in names}
        try:
            for name, value in zip(names, values, strict=True):
                if value is not None:
                    os.environ[name] = value
            expected = next((v for v in values if v is not None and v != ""), default)
            assert resolve_env_var(NOT_GIVEN, *names, default=default) == expected
        finally:
            for name in names:
                os.environ.pop(name, None)
                if saved[name] is not None:
                    os.environ[name] = saved[name]

    @pytest.mark.parametrize("value", [None, 1, b"x"])
    def test_value_not_a_string(self, value):
        with pytest.raises(TypeError, match=rf"value must be a str or NOT_GIVEN, got {type(value).__name__}"):
            resolve_env_var(value, A)

    def test_another_librarys_not_given_is_named_in_the_message(self):
        # upstream's livekit.agents.types.NOT_GIVEN is not ours: "got NotGiven" alone would puzzle
        foreign = type(
            "NotGiven", (), {"__module__": "livekit.agents.types", "__bool__": lambda self: False}
        )()
        with pytest.raises(
            TypeError,
            match=r"got livekit\.agents\.types\.NotGiven \(another library's sentinel\): "
            r"pass agentutils_core\.NOT_GIVEN",
        ):
            resolve_env_var(foreign, A)

    def test_the_reference_not_given_is_named_in_the_message(self):
        require("livekit.agents")
        from livekit.agents.types import NOT_GIVEN as LK_NOT_GIVEN

        with pytest.raises(TypeError, match=r"another library's sentinel\): pass agentutils_core\.NOT_GIVEN"):
            resolve_env_var(LK_NOT_GIVEN, A)

    @pytest.mark.parametrize(("name", "message"), [(1, "got int"), (None, "got NoneType")])
    def test_name_not_a_string(self, name, message):
        with pytest.raises(
            TypeError, match=rf"each of env_vars must be an environment variable name \(str\), {message}"
        ):
            resolve_env_var(NOT_GIVEN, A, name)

    @pytest.mark.parametrize("name", ["", "A=B", "A\0"])
    def test_name_unusable(self, name):
        with pytest.raises(
            ValueError, match=r"each of env_vars must be a non-empty environment variable name"
        ):
            resolve_env_var("explicit", name)

    def test_default_not_a_string(self):
        with pytest.raises(TypeError, match="default must be a str, got NoneType"):
            resolve_env_var(NOT_GIVEN, A, default=None)


class TestResolveEnvInt:
    @pytest.mark.parametrize(
        ("raw", "expected"), [("1", 1), ("-3", -3), (" 2 ", 2), ("+7", 7), ("1_000", 1000)]
    )
    def test_integers(self, monkeypatch, raw, expected):
        monkeypatch.setenv(A, raw)
        assert resolve_env_int(A) == expected

    @pytest.mark.parametrize("raw", [None, "", "   ", "\t\n"])
    def test_unset_or_blank_is_the_default_quietly(self, monkeypatch, caplog, raw):
        if raw is not None:
            monkeypatch.setenv(A, raw)
        with caplog.at_level(logging.WARNING, logger="agentutils.core"):
            assert resolve_env_int(A, default=4) == 4
        assert caplog.records == []

    @pytest.mark.parametrize("raw", ["1.5", "yes", "0x10", "1e3"])
    def test_not_an_integer_warns_and_gives_the_default(self, monkeypatch, caplog, raw):
        monkeypatch.setenv(A, raw)
        with caplog.at_level(logging.WARNING, logger="agentutils.core"):
            assert resolve_env_int(A, default=9) == 9
        (record,) = caplog.records
        assert record.levelno == logging.WARNING
        assert record.getMessage() == f"invalid {A}={raw!r}: expected an integer; using the default 9"

    @given(st.integers())
    def test_round_trip(self, number):
        os.environ[A] = str(number)
        try:
            assert resolve_env_int(A) == number
        finally:
            del os.environ[A]

    def test_name_not_a_string(self):
        with pytest.raises(TypeError, match=r"name must be an environment variable name \(str\), got bytes"):
            resolve_env_int(b"X")  # type: ignore[arg-type]

    def test_name_empty(self):
        with pytest.raises(ValueError, match="name must be a non-empty environment variable name"):
            resolve_env_int("")

    @pytest.mark.parametrize(("default", "kind"), [(True, "bool"), ("1", "str"), (1.0, "float")])
    def test_default_not_an_int(self, default, kind):
        with pytest.raises(TypeError, match=f"default must be an int, got {kind}"):
            resolve_env_int(A, default=default)


def test_exported_from_core_and_the_meta_package():
    assert agentutils_core.resolve_env_var is resolve_env_var
    assert agentutils_core.resolve_env_int is resolve_env_int
    assert "resolve_env_var" in agentutils_core.__all__
    if os.environ.get("AGENTUTILS_ISOLATED") is None:
        import agentutils

        assert agentutils.resolve_env_var is resolve_env_var
        assert agentutils.resolve_env_int is resolve_env_int


def test_docstring_examples(monkeypatch):
    # The examples set these; monkeypatch restores them afterwards.
    monkeypatch.setenv("DOCTEST_URL", "")
    monkeypatch.setenv("DOCTEST_LEVEL", "")
    monkeypatch.delenv("DOCTEST_UNSET", raising=False)
    monkeypatch.delenv("DOCTEST_UNSET_LEVEL", raising=False)
    result = doctest.testmod(env_module)
    assert result.attempted > 0
    assert result.failed == 0


def test_matches_the_reference(monkeypatch):
    require("livekit.agents")
    from livekit.agents.types import NOT_GIVEN as LK_NOT_GIVEN
    from livekit.agents.utils import resolve_env_int as lk_int, resolve_env_var as lk_var

    for a, b in [(None, None), ("", "x"), (" ", "y"), ("a", "b"), (None, "")]:
        for name, value in ((A, a), (B, b)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        assert resolve_env_var(NOT_GIVEN, A, B, default="d") == lk_var(LK_NOT_GIVEN, A, B, default="d")
        assert resolve_env_var("v", A, B) == lk_var("v", A, B)
    for raw in ["", " ", "3", " -4 ", "x"]:
        monkeypatch.setenv(A, raw)
        assert resolve_env_int(A, default=2) == lk_int(A, default=2)


@pytest.mark.parametrize(
    ("value", "expected"), [(None, False), ("1", True), ("0", False), ("true", False), ("", False)]
)
def test_is_dev_mode_reads_livekit_dev_mode_at_each_call(monkeypatch, value, expected):
    from agentutils_core import is_dev_mode

    if value is None:
        monkeypatch.delenv("LIVEKIT_DEV_MODE", raising=False)
    else:
        monkeypatch.setenv("LIVEKIT_DEV_MODE", value)
    assert is_dev_mode() is expected


@pytest.mark.parametrize(("value", "expected"), [(None, False), ("", True), ("https://eot", True)])
def test_is_hosted_means_the_remote_eot_url_is_set(monkeypatch, value, expected):
    from agentutils_core import is_hosted

    if value is None:
        monkeypatch.delenv("LIVEKIT_REMOTE_EOT_URL", raising=False)
    else:
        monkeypatch.setenv("LIVEKIT_REMOTE_EOT_URL", value)
    assert is_hosted() is expected


@pytest.mark.parametrize("name", ["is_dev_mode", "is_hosted"])
@pytest.mark.parametrize("value", [None, "1", "0", ""])
def test_dev_mode_and_hosted_agree_with_the_reference(monkeypatch, name, value):
    reference = require("livekit.agents.utils")
    for var in ("LIVEKIT_DEV_MODE", "LIVEKIT_REMOTE_EOT_URL"):
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)
    assert getattr(agentutils_core, name)() is getattr(reference, name)()
