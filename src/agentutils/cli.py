"""The ``agentutils`` command line.

- ``agentutils plugins [--json]``: every discovered plugin (distribution, version), what it
  registers (audio backends with priority and availability, pool connectors with their
  URL schemes), which audio backend is selected now and why, and the plugins that failed
  to load, with the reason.
- ``agentutils doctor [--json]``: installed members, optional dependencies, Python.

``python -m agentutils`` is the same command.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from agentutils_core import ProviderRegistry

__all__ = ["collect_doctor", "collect_plugins", "main", "print_doctor", "print_plugins"]

MEMBERS = (
    ("agentutils-core", "agentutils_core"),
    ("agentutils-events", "agentutils_events"),
    ("agentutils-audio", "agentutils_audio"),
    ("agentutils-pool", "agentutils_pool"),
    ("agentutils-rtc-helpers", "agentutils_rtc_helpers"),
    ("agentutils-filters", "agentutils_filters"),
)
OPTIONAL = (
    ("numpy", "numpy", "the vectorised audio backend and batch filters"),
    ("aiohttp", "aiohttp", "the ws:// and wss:// pool connector"),
    ("livekit", "livekit.rtc", "real livekit.rtc rooms and audio frames"),
)


@dataclass(frozen=True)
class _Kind:
    """One kind of provider that plugins can register, and where its registry lives."""

    key: str
    title: str
    module: str
    registry: Callable[[Any], ProviderRegistry[Any]]
    details: Callable[[Any], dict[str, Any]]
    # For kinds chosen per URL scheme rather than one for all: (module, scheme) -> the
    # provider the member itself would use for that scheme.
    resolve_scheme: Callable[[Any, str], Any] | None = None


KINDS = (
    _Kind(
        "audio_backends",
        "audio backend",
        "agentutils_audio",
        lambda m: m.audio_backends,
        lambda p: {},
    ),
    _Kind(
        "pool_connectors",
        "pool connector",
        "agentutils_pool",
        lambda m: m.connector_registry(),
        lambda p: {"schemes": sorted(p.schemes)},
        resolve_scheme=lambda m, scheme: m.resolve_connector(f"{scheme}://"),
    ),
)


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _describe_kind(kind: _Kind) -> dict[str, Any] | None:
    import importlib
    import importlib.util
    import os

    if importlib.util.find_spec(kind.module) is None:
        return None
    data: dict[str, Any] = {"title": kind.title, "providers": [], "error": None}
    env_var: str | None = None
    try:
        module = importlib.import_module(kind.module)
        registry = kind.registry(module)
        env_var = registry.env_var
        entries = registry.entries()
    except Exception as exc:  # e.g. a duplicate name: the listing reports it instead of failing
        data["error"] = _error(exc)
        if kind.resolve_scheme is not None:
            data.update(by_scheme={}, scheme_reasons={}, scheme_errors={}, env_var=env_var)
        else:
            data["selected"] = {"name": None, "reason": data["error"], "env_var": env_var}
        return data
    providers = data["providers"]
    for entry in entries:
        available, why = registry.availability(entry.name)
        providers.append(
            {
                "name": entry.name,
                "priority": entry.priority,
                "available": available,
                "unavailable_reason": why,
                "plugin": entry.plugin.name,
                "distribution": entry.plugin.distribution,
                **kind.details(entry.provider),
            }
        )
    if kind.resolve_scheme is not None:
        # Ask the member which provider serves each scheme, so the listing never disagrees
        # with what it would really use (environment variable, priority ties).
        env_name = os.environ.get(registry.env_var) or None
        by_scheme: dict[str, str | None] = {}
        reasons: dict[str, str] = {}
        errors: dict[str, str] = {}
        for scheme in sorted({s for prov in providers for s in prov["schemes"]}):
            try:
                chosen = kind.resolve_scheme(module, scheme)
            except Exception as exc:
                by_scheme[scheme] = None
                errors[scheme] = _error(exc)
            else:
                by_scheme[scheme] = chosen.name
                reasons[scheme] = "environment" if chosen.name == env_name else "priority"
        data.update(by_scheme=by_scheme, scheme_reasons=reasons, scheme_errors=errors, env_var=env_var)
        return data
    try:
        selection = registry.select()
        data["selected"] = {"name": selection.name, "reason": selection.reason, "env_var": env_var}
    except Exception as exc:  # the listing reports a broken selection instead of failing
        data["selected"] = {"name": None, "reason": _error(exc), "env_var": env_var}
    return data


def collect_plugins() -> dict[str, Any]:
    """Describe the discovered plugins, what they register, and what failed, as plain data."""
    import warnings

    from agentutils_core import PluginWarning, get_plugin_manager

    with warnings.catch_warnings():
        # Failures are part of the listing itself.
        warnings.simplefilter("ignore", PluginWarning)
        manager = get_plugin_manager()
        kinds = {k.key: d for k in KINDS if (d := _describe_kind(k)) is not None}
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
    for data_kind in data["kinds"].values():
        print(f"{data_kind['title']}s:")
        for prov in data_kind["providers"]:
            state = "available" if prov["available"] else f"unavailable: {prov['unavailable_reason']}"
            schemes = (
                f"  schemes {', '.join(s + '://' for s in prov['schemes'])}" if "schemes" in prov else ""
            )
            print(
                f"  {prov['name']:<10} priority {prov['priority']:>4}  {state}{schemes}"
                f"  (from {prov['distribution'] or prov['plugin']})"
            )
        if data_kind["error"]:
            print(f"  error: {data_kind['error']}")
            continue
        if "by_scheme" in data_kind:
            served = sorted(data_kind["by_scheme"])
            chosen = ", ".join(f"{scheme}:// -> {_scheme_choice(data_kind, scheme)}" for scheme in served)
            print(f"  selected by URL scheme: {chosen}")
            continue
        sel = data_kind["selected"]
        if sel["name"] is not None:
            why = {
                "environment": f"named by {sel['env_var']}",
                "priority": f"highest priority available; set {sel['env_var']} to choose",
                "argument": "named by the caller",
            }[sel["reason"]]
            print(f"  selected: {sel['name']} ({why})")
        else:
            print(f"  selected: none ({sel['reason']})")
    if data["disabled"]:
        print(f"disabled by AGENTUTILS_DISABLE_PLUGINS ({len(data['disabled'])}):")
        for p in data["disabled"]:
            print(f"  {p['name']:<10} {p['distribution']}")
    print(f"failed to load ({len(data['failures'])}):" if data["failures"] else "failed to load: none")
    for f in data["failures"]:
        print(f"  {f['name']:<10} {f['distribution']} {f['version'] or ''}: {f['stage']}: {f['error']}")


def _scheme_choice(data_kind: dict[str, Any], scheme: str) -> str:
    name = data_kind["by_scheme"][scheme]
    if name is not None:
        if data_kind["scheme_reasons"].get(scheme) == "environment":
            return f"{name} (named by {data_kind['env_var']})"
        return str(name)
    error = data_kind["scheme_errors"].get(scheme, "")
    # Why each provider is unavailable is listed above; other errors are shown in full.
    return "none available" if error.startswith("ProviderUnavailableError") else f"none ({error})"


def _version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def collect_doctor() -> dict[str, Any]:
    """Summarise the installation: members, optional dependencies, Python, plugin failures."""
    import importlib.util
    import platform

    members = [{"distribution": d, "module": m, "version": _version(d)} for d, m in MEMBERS]
    optional = [
        {
            "name": name,
            "version": _version(name),
            "importable": importlib.util.find_spec(module.split(".")[0]) is not None,
            "enables": enables,
        }
        for name, module, enables in OPTIONAL
    ]
    plugins = collect_plugins()
    return {
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": sys.executable,
        },
        "members": members,
        "optional": optional,
        "reference": {"livekit-agents": _version("livekit-agents")},
        "plugins": len(plugins["plugins"]),
        "plugin_failures": plugins["failures"],
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
        print(f"  {o['name']:<10} {state:<14} {o['enables']}")
    failures = data["plugin_failures"]
    print(f"plugins: {data['plugins']} loaded, {len(failures)} failed (see `agentutils plugins`)")


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
    return 0
