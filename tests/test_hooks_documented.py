"""Every hook is documented in docs/plugins.md with its exact signature, and has a test of its own.

Like datasette's ``test_plugin_hooks_are_documented`` / ``test_plugin_hooks_have_tests``:
adding a hook to ``krat_core.plugins.hookspecs`` without documenting and testing it fails here.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from krat_core.plugins import hookspecs
from krat_core.plugins.manager import HOOK_NAMES

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "plugins.md"


def _hookspecs() -> dict[str, Callable[..., Any]]:
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    return {
        name: fn
        for name, fn in vars(hookspecs).items()
        if inspect.isfunction(fn) and hasattr(fn, marker)
    }


HOOKS = sorted(_hookspecs())


def signature_line(name: str) -> str:
    """``def krat_cli_commands(cli: click.Group) -> None`` from the hookspec itself."""
    fn = _hookspecs()[name]
    sig = inspect.signature(fn)
    params = ", ".join(
        f"{p.name}: {p.annotation}" if p.annotation is not inspect.Parameter.empty else p.name
        for p in sig.parameters.values()
    )
    return f"def {name}({params}) -> {sig.return_annotation}"


def _section(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^### `{name}`\n(.*?)(?=^##)", text, re.M | re.S)
    assert match, f"docs/plugins.md has no section '### `{name}`'"
    return match.group(1)


def _test_names() -> set[str]:
    names = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_")
        }
    return names


def test_there_are_hooks_and_the_registry_knows_them_all() -> None:
    assert len(HOOKS) >= 4
    assert set(HOOKS) == set(HOOK_NAMES)
    assert all(name.startswith("krat_") for name in HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_with_its_exact_signature(hook: str) -> None:
    section = _section(hook)
    assert f"```python\n{signature_line(hook)}\n```" in section, (
        f"docs/plugins.md: the section of {hook} must show its signature exactly: "
        f"{signature_line(hook)}"
    )
    for part in ("**Arguments:**", "**Returns:**", "**Behaviour:**", "**Example:**"):
        assert part in section, f"docs/plugins.md: {hook} lacks {part}"
    example = section.split("**Example:**", 1)[1]
    assert "@hookimpl" in example and f"def {hook}(" in example


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_docstring_with_returns_and_behaviour(hook: str) -> None:
    doc = inspect.getdoc(_hookspecs()[hook]) or ""
    assert "Returns:" in doc and "Behaviour:" in doc


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test_of_its_own(hook: str) -> None:
    prefix = f"test_hook_{hook}"
    assert any(name.startswith(prefix) for name in _test_names()), (
        f"write a test named {prefix}_... for the hook {hook}"
    )


def test_the_documented_example_signatures_parse() -> None:
    for hook in HOOKS:
        ast.parse(signature_line(hook) + ": ...")


def test_a_new_undocumented_hook_would_be_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    @hookspecs.hookspec
    def krat_new_hook(x: int) -> None:
        """Returns: nothing. Behaviour: none."""

    monkeypatch.setattr(hookspecs, "krat_new_hook", krat_new_hook, raising=False)
    assert "krat_new_hook" in _hookspecs()
    with pytest.raises(AssertionError, match="no section"):
        _section("krat_new_hook")
    assert not any(n.startswith("test_hook_krat_new_hook") for n in _test_names())
