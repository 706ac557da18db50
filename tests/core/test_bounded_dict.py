"""``BoundedDict.set_or_update``: the upstream helper that creates a missing value, then updates it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from agentutils_core import BoundedDict


@dataclass
class Item:
    name: str = "new"
    size: int = 0


class TestSetOrUpdate:
    def test_missing_key_calls_the_factory_then_updates(self) -> None:
        d: BoundedDict[str, Item] = BoundedDict()
        calls: list[int] = []

        def factory() -> Item:
            calls.append(1)
            return Item()

        value = d.set_or_update("a", factory, size=3)
        assert calls == [1]
        assert d["a"] is value
        assert value == Item("new", 3)

    def test_key_mapped_to_none_is_created_too(self) -> None:
        d: BoundedDict[str, Item | None] = BoundedDict()
        d["a"] = None
        value = d.set_or_update("a", Item, name="x")
        assert value == Item("x", 0)
        assert d["a"] is value

    def test_present_value_is_updated_without_calling_the_factory(self) -> None:
        d: BoundedDict[str, Item] = BoundedDict()
        existing = d["a"] = Item("old", 1)

        def factory() -> Item:
            raise AssertionError("factory called for a present key")

        assert d.set_or_update("a", factory, size=7) is existing
        assert existing == Item("old", 7)

    def test_none_values_and_unknown_fields_are_skipped(self, caplog) -> None:
        d: BoundedDict[str, Item] = BoundedDict()
        d["a"] = Item("old", 1)
        with caplog.at_level(logging.WARNING, logger="agentutils.core"):
            value = d.set_or_update("a", Item, name=None, size=2, colour="red")
        assert value == Item("old", 2)
        assert not hasattr(value, "colour")
        assert "field colour is not set on value of type Item" in caplog.text

    def test_a_new_key_counts_against_maxsize(self) -> None:
        d: BoundedDict[str, Item] = BoundedDict(2)
        d["a"] = Item("a")
        d["b"] = Item("b")
        value = d.set_or_update("c", Item, name="c")
        assert list(d) == ["b", "c"]
        assert d["c"] is value

    def test_matches_upstream_semantics_without_kwargs(self) -> None:
        d: BoundedDict[str, list[int]] = BoundedDict()
        first = d.set_or_update("k", list)
        first.append(1)
        assert d.set_or_update("k", list) is first
        assert d["k"] == [1]
