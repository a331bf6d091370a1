"""The layering the README describes, checked on the source: a pure core, a shell around it.

Layers, lowest first: `medbot.core` (pure domain), then `medbot.storage` (disk) and
`medbot.shell` (settings, logs, Bot API, control socket, systemd), then `actors`, then the
wiring on top (`medbot.app`, `medbot.runner`, `medbot.cli`). A module may import its own layer
and the layers below it, never one above: so no two packages import each other in a circle.
Every import counts, also one inside a function or under `TYPE_CHECKING`.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("medbot", "actors")

LAYERS: dict[str, frozenset[str]] = {
    "core": frozenset({"core"}),
    "storage": frozenset({"core", "storage"}),
    "shell": frozenset({"core", "shell"}),
    "actors": frozenset({"core", "storage", "shell", "actors"}),
    "top": frozenset({"core", "storage", "shell", "actors", "top"}),
}

FORBIDDEN_IN_CORE = frozenset({
    "actors", "telebot", "groq", "tinydb", "requests", "urllib3", "httpx", "socket",
    "threading", "subprocess", "multiprocessing", "concurrent", "asyncio", "pykka", "signal",
    "sqlite3", "http", "urllib", "selectors", "tempfile", "shutil",
})
"""I/O, threads, transports and actors: the core computes, the shell does (a debug log line
is allowed: the parser notes its own failures)."""


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "actors":
        return "actors"
    if len(parts) > 1 and parts[1] in ("core", "storage", "shell"):
        return parts[1]
    return "top"


@cache
def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(module: str, path: Path) -> set[str]:
    """Every module `module` imports, as absolute dotted names."""
    found: set[str] = set()
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base_parts = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*base_parts, node.module] if node.module else base_parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names
                         if f"{base}.{alias.name}" in modules())
    return found


def own(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


@pytest.mark.parametrize("module", sorted(modules()))
def test_a_module_imports_only_its_own_layer_and_those_below(module: str) -> None:
    layer = layer_of(module)
    upward = sorted(
        name for name in imports_of(module, modules()[module])
        if own(name) and name != "medbot" and layer_of(name) not in LAYERS[layer]
    )
    assert not upward, f"{module} ({layer}) imports {upward}"


@pytest.mark.parametrize("module", sorted(m for m in modules() if layer_of(m) == "core"))
def test_the_core_imports_no_io_thread_transport_or_actor_module(module: str) -> None:
    reached = sorted(
        name for name in imports_of(module, modules()[module])
        if name.split(".")[0] in FORBIDDEN_IN_CORE
    )
    assert not reached, f"{module} imports {reached}"


def test_no_two_packages_import_each_other() -> None:
    edges: dict[str, set[str]] = {}
    for module, path in modules().items():
        for name in imports_of(module, path):
            if own(name) and name != "medbot" and layer_of(name) != layer_of(module):
                edges.setdefault(layer_of(module), set()).add(layer_of(name))
    seen: set[str] = set()
    done: set[str] = set()

    def visit(layer: str, trail: tuple[str, ...]) -> None:
        assert layer not in seen or layer in done, f"packages in a circle: {' -> '.join(trail)}"
        if layer in done:
            return
        seen.add(layer)
        for target in sorted(edges.get(layer, ())):
            visit(target, (*trail, target))
        done.add(layer)

    for layer in sorted(edges):
        visit(layer, (layer,))


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The checker itself: a core module importing an actor is caught."""
    path = tmp_path / "bad.py"
    path.write_text("from actors.messages import Stop\nimport threading\n", encoding="utf-8")
    names = imports_of("medbot.core.bad", path)
    assert "actors.messages" in names and "threading" in names
    assert layer_of("actors.messages") not in LAYERS["core"]


# --- pykka through its public API only ------------------------------------------------------

SOURCES = ("medbot", "actors", "tests", "bench")


def pykka_private_uses(tree: ast.AST) -> list[str]:
    """Private pykka names a module reaches: `pykka._x`, `from pykka._x import ...`,
    `from pykka import _x`, `getattr(pykka..., "_x")`, and subclasses of pykka's classes (whose
    loop would be ours to override through private methods)."""
    aliases = {"pykka"}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases.update(a.asname or a.name for a in node.names if a.name.split(".")[0] == "pykka")
            found += [a.name for a in node.names if a.name.startswith("pykka._")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "pykka":
            if any(part.startswith("_") for part in (node.module or "").split(".")):
                found.append(node.module or "")
            found += [a.name for a in node.names if a.name.startswith("_")]
            found += [f"class {a.name}" for a in node.names if a.name.endswith("Actor")]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and _rooted_in(node, aliases):
            found.append(node.attr)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
              and node.args and _rooted_in(node.args[0], aliases) and len(node.args) > 1
              and isinstance(node.args[1], ast.Constant) and str(node.args[1].value).startswith("_")):
            found.append(str(node.args[1].value))
        elif isinstance(node, ast.ClassDef):
            found += [f"subclass of {ast.unparse(base)}" for base in node.bases if _rooted_in(base, aliases)]
    return found


def _rooted_in(node: ast.AST, names: set[str]) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in names


@pytest.mark.parametrize("path", sorted(
    str(p.relative_to(ROOT)) for package in SOURCES for p in (ROOT / package).rglob("*.py")
))
def test_no_module_uses_a_private_pykka_name(path: str) -> None:
    uses = pykka_private_uses(ast.parse((ROOT / path).read_text(encoding="utf-8")))
    assert not uses, f"{path} uses pykka's private {uses}"


def test_the_pykka_check_sees_private_names() -> None:
    source = (
        "import pykka\nfrom pykka._envelope import Envelope\n"
        "class A(pykka.ThreadingActor):\n    def f(self):\n        self._stop()\n"
        "x = getattr(pykka.messages, '_ActorStop')\ny = pykka.messages._ActorStop\n"
    )
    uses = pykka_private_uses(ast.parse(source))
    assert {"pykka._envelope", "subclass of pykka.ThreadingActor", "_ActorStop"} <= set(uses)


def test_the_protocol_module_imports_only_the_core() -> None:
    """`actors/messages.py` is what every actor shares: it may stand on the core alone."""
    own_imports = sorted(
        name for name in imports_of("actors.messages", modules()["actors.messages"])
        if own(name) and name != "medbot"
    )
    assert own_imports and all(layer_of(name) == "core" for name in own_imports), own_imports
