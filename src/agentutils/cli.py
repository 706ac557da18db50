"""The ``agentutils`` command line.

- ``agentutils plugins [--json]``: every discovered plugin (distribution, version), what it
  registers, each plugin kind's providers (priority, availability, what they handle),
  which one is selected now and why (per URL scheme or format for the kinds chosen that
  way), and the plugins that failed, with the reason. The kinds are the registries
  themselves (``agentutils_core.registries()``): no kind is named here.
- ``agentutils doctor [--json]``: installed members, optional dependencies, Python, and a
  verdict: it exits 1 while a plugin failed or a kind is unusable.

``python -m agentutils`` is the same command.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from agentutils_core import ProviderRegistry

__all__ = ["collect_doctor", "collect_plugins", "main", "print_doctor", "print_plugins"]

META = "agentutils"
"""The meta-package: its requirements are the one list of members the command reads."""


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _kind_key(registry: ProviderRegistry[Any]) -> str:
    return registry.hook.removeprefix("agentutils_")


def _selection(registry: ProviderRegistry[Any], value: str | None) -> dict[str, Any]:
    from agentutils_core import ProviderUnavailableError

    try:
        chosen = registry.select() if value is None else registry.select_for(value)
    except Exception as exc:  # the listing reports a broken selection instead of failing
        # "Unavailable" (an optional dependency is missing) is not a fault of the kind.
        unavailable = isinstance(exc, ProviderUnavailableError)
        return {"name": None, "reason": None, "error": _error(exc), "unavailable": unavailable}
    return {"name": chosen.name, "reason": chosen.reason, "error": None, "unavailable": False}


def _provider(registry: ProviderRegistry[Any], entry: Any) -> dict[str, Any]:
    available, why = registry.availability(entry.name)
    data = {
        "name": entry.name,
        "priority": entry.priority,
        "available": available,
        "unavailable_reason": why,
        "builtin": entry.builtin,
        "plugin": entry.plugin.name,
        "distribution": entry.plugin.distribution,
    }
    if registry.handles is not None:
        try:
            data["handles"] = sorted(registry.handles(entry.provider))
        except Exception as exc:  # reported, as everything else a provider does wrong
            data["handles"] = []
            data["unavailable_reason"] = _error(exc)
    return data


def _describe(registry: ProviderRegistry[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": registry.kind,
        "hook": registry.hook,
        "env_var": registry.env_var,
        "extra": registry.extra,
        "providers": [],
        "error": None,
    }
    try:
        entries = registry.entries()
    except Exception as exc:  # strict mode, a broken registry: reported, not a crash
        data["error"] = _error(exc)
        return data
    data["providers"] = [_provider(registry, entry) for entry in entries]
    if registry.handles is None:
        data["selected"] = _selection(registry, None)
    else:
        data["label"] = registry.handles_label
        data["selected_for"] = {value: _selection(registry, value) for value in registry.handled()}
    return data


def kind_problems(kind: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Return ``(errors, notes)`` about a kind.

    Errors make it unusable: a registry error, or a selection that fails for a reason other
    than a missing optional dependency. Notes name what is unavailable only because an
    optional dependency is missing (the message says which extra provides it).
    """
    errors = [kind["error"]] if kind["error"] else []
    notes: list[str] = []
    selections: list[tuple[str | None, dict[str, Any]]] = []
    if "selected" in kind:
        selections.append((None, kind["selected"]))
    selections += kind.get("selected_for", {}).items()
    for value, chosen in selections:
        if chosen["error"] is None:
            continue
        where = f"{kind['label'].format(value)}: " if value is not None else ""
        (notes if chosen["unavailable"] else errors).append(f"{where}{chosen['error']}")
    return errors, notes


def collect_plugins() -> dict[str, Any]:
    """Describe the discovered plugins, what they register, and what failed, as plain data."""
    import warnings

    from agentutils_core import PluginWarning, get_plugin_manager, registries

    with warnings.catch_warnings():
        # Failures are part of the listing itself.
        warnings.simplefilter("ignore", PluginWarning)
        manager = get_plugin_manager()
        kinds = {_kind_key(r): _describe(r) for r in registries()}
    # By entry-point name and distribution: two distributions may use the same entry-point name.
    registered: dict[tuple[str, str | None], list[str]] = {}
    for data in kinds.values():
        for provider in data["providers"]:
            key = (provider["plugin"], provider["distribution"])
            registered.setdefault(key, []).append(f"{data['title']} {provider['name']!r}")
    return {
        "plugins": [
            {
                "name": p.name,
                "value": p.value,
                "distribution": p.distribution,
                "version": p.version,
                "registers": registered.get((p.name, p.distribution), []),
            }
            for p in manager.plugins
        ],
        "kinds": kinds,
        "disabled": [{"name": p.name, "distribution": p.distribution} for p in manager.disabled],
        "failures": [
            {
                "name": f.plugin.name,
                "distribution": f.plugin.distribution,
                "version": f.plugin.version,
                "stage": f.stage,
                "error": f.error,
            }
            for f in manager.failures
        ],
    }


def print_plugins(data: dict[str, Any]) -> None:
    """Print what :func:`collect_plugins` returned, as a readable listing."""
    print(f"plugins ({len(data['plugins'])}):")
    for p in data["plugins"]:
        origin = f"{p['distribution'] or '<in-process>'} {p['version'] or ''}".strip()
        print(f"  {p['name']:<10} {origin:<34} [{p['value']}]")
        for what in p["registers"]:
            print(f"  {'':<10}   registers {what}")
    for kind in data["kinds"].values():
        _print_kind(kind)
    if data["disabled"]:
        print(f"disabled by AGENTUTILS_DISABLE_PLUGINS ({len(data['disabled'])}):")
        for p in data["disabled"]:
            print(f"  {p['name']:<10} {p['distribution']}")
    print(f"failed to load ({len(data['failures'])}):" if data["failures"] else "failed to load: none")
    for f in data["failures"]:
        print(f"  {f['name']:<10} {f['distribution']} {f['version'] or ''}: {f['stage']}: {f['error']}")


def _print_kind(kind: dict[str, Any]) -> None:
    print(f"{kind['title']}s:")
    for prov in kind["providers"]:
        state = "available" if prov["available"] else f"unavailable: {prov['unavailable_reason']}"
        handles = f"  handles {', '.join(prov['handles'])}" if "handles" in prov else ""
        print(
            f"  {prov['name']:<10} priority {prov['priority']:>4}  {state}{handles}"
            f"  (from {prov['distribution'] or prov['plugin']})"
        )
    if kind["error"]:
        print(f"  error: {kind['error']}")
        return
    if "selected_for" in kind:
        chosen = ", ".join(
            f"{kind['label'].format(value)} -> {_choice(kind, sel)}"
            for value, sel in kind["selected_for"].items()
        )
        print(f"  selected: {chosen or 'none'}")
        return
    print(f"  selected: {_choice(kind, kind['selected'])}")


def _choice(kind: dict[str, Any], sel: dict[str, Any]) -> str:
    if sel["name"] is not None:
        why = {
            "environment": f"named by {kind['env_var']}",
            "priority": f"highest priority available; set {kind['env_var']} to choose",
            "argument": "named by the caller",
        }[sel["reason"]]
        return f"{sel['name']} ({why})"
    # Why each provider is unavailable is listed above; other errors are shown in full.
    if sel["unavailable"] and "selected_for" in kind:
        return "none available"
    return f"none ({sel['error']})"


def _version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def _members() -> list[str]:
    """The members, as the meta-package's requirements name them (extras included)."""
    from importlib.metadata import PackageNotFoundError, requires

    try:
        lines = requires(META) or []
    except PackageNotFoundError:
        return []
    names = {line.split(";")[0].split("[")[0].split("=")[0].strip() for line in lines}
    return sorted(name for name in names if name.startswith("agentutils-"))


def _optional(members: list[str]) -> list[dict[str, Any]]:
    """Each third-party package an installed member's extra brings, and whether it is here."""
    import re
    from importlib.metadata import PackageNotFoundError, requires

    found: dict[str, list[str]] = {}
    for member in members:
        try:
            lines = requires(member) or []
        except PackageNotFoundError:
            continue
        for line in lines:
            extra = re.search(r"extra\s*==\s*[\"']([^\"']+)", line)
            name = re.split(r"[\s\[<>=!~;]", line, maxsplit=1)[0]
            if extra and not name.startswith("agentutils-"):
                found.setdefault(name.lower(), []).append(f"{member}[{extra.group(1)}]")
    return [
        {"name": name, "version": _version(name), "enables": sorted(set(extras))}
        for name, extras in sorted(found.items())
    ]


def collect_doctor() -> dict[str, Any]:
    """Summarise the installation: members, optional dependencies, Python, plugin health."""
    import platform

    member_names = _members()
    plugins = collect_plugins()
    problems: list[str] = []
    notes: list[str] = []
    for kind in plugins["kinds"].values():
        errors, unavailable = kind_problems(kind)
        problems += [f"{kind['title']}s: {error}" for error in errors]
        notes += [f"{kind['title']}s: {note}" for note in unavailable]
    return {
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": sys.executable,
        },
        "members": [{"distribution": d, "version": _version(d)} for d in member_names],
        "optional": _optional(member_names),
        "reference": {"livekit-agents": _version("livekit-agents")},
        "plugins": len(plugins["plugins"]),
        "plugin_failures": plugins["failures"],
        "kind_errors": problems,
        "unavailable": notes,
        "ok": not problems and not plugins["failures"],
    }


def print_doctor(data: dict[str, Any]) -> None:
    """Print what :func:`collect_doctor` returned."""
    py = data["python"]
    print(f"python: {py['implementation']} {py['version']} ({py['executable']})")
    print("members:")
    for m in data["members"]:
        print(f"  {m['distribution']:<24} {m['version'] or 'not installed'}")
    print("optional dependencies:")
    for o in data["optional"]:
        state = o["version"] or "not installed"
        print(f"  {o['name']:<12} {state:<14} for {', '.join(o['enables'])}")
    failures = data["plugin_failures"]
    print(f"plugins: {data['plugins']} loaded, {len(failures)} failed")
    for f in failures:
        print(f"  failed: {f['name']} ({f['distribution']} {f['version'] or ''}): {f['stage']}: {f['error']}")
    for problem in data["kind_errors"]:
        print(f"  unusable: {problem}")
    for note in data["unavailable"]:
        print(f"  not installed: {note}")
    print("ok" if data["ok"] else "problems found (details: `agentutils plugins`)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    parser = argparse.ArgumentParser(prog="agentutils", description="agentutils command line")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("plugins", "list discovered plugins, what they register, what is selected, and failures"),
        ("doctor", "summarise installed members, optional dependencies and Python"),
    ):
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    collect, show = (
        (collect_plugins, print_plugins) if args.command == "plugins" else (collect_doctor, print_doctor)
    )
    data = collect()
    if args.json:
        json.dump(data, sys.stdout, indent=2)
        print()
    else:
        show(data)
    # doctor's verdict is its exit status: non-zero while a plugin failed or a kind is unusable.
    return 0 if data.get("ok", True) else 1
