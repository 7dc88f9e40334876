"""The architecture rules of docs/architecture.md, checked on the source (AST, no imports run)."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Set
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
HEAVY = ("openpyxl", "python_calamine", "docx", "matplotlib", "xlsxwriter")


@dataclass(frozen=True)
class Import:
    """One import statement: the module imported and whether it runs at import time."""

    module: str
    line: int
    top_level: bool


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    top = {id(n) for n in tree.body}
    # An import under `if TYPE_CHECKING:` at top level never runs.
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            top.difference_update(id(n) for n in ast.walk(node))
        elif isinstance(node, ast.If | ast.Try):
            top.update(id(n) for n in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(a.name, node.lineno, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(Import(_resolve(path, node), node.lineno, id(node) in top))
    return found


def _calls(path: Path, functions: set[str], methods: Set[str] = frozenset()) -> list[int]:
    """Lines of ``path`` that call one of ``functions`` (by name) or ``methods`` (attribute)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Name) and func.id in functions) or (
            isinstance(func, ast.Attribute) and func.attr in methods
        ):
            lines.append(node.lineno)
    return lines


def _sources(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def _names(package: str) -> list[str]:
    return [str(p.relative_to(SRC)) for p in _sources(package)]


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_the_scan_sees_the_packages() -> None:
    assert len(_sources("krat_core")) > 20
    assert len(_sources("krat_plugins")) > 10
    io_imports = {i.module for i in _imports(SRC / "krat_core" / "format" / "canonical.py")}
    assert "krat_core.format.models" in io_imports and "orjson" in io_imports


@pytest.mark.parametrize("path", _sources("krat_core"), ids=_names("krat_core"))
def test_krat_core_never_imports_krat_plugins(path: Path) -> None:
    bad = [i for i in _imports(path) if _within(i.module, "krat_plugins")]
    assert bad == [], f"{path}: krat_core must reach plugins only through the registry"
    # Nor by name, through importlib: only docstrings and comments may mention it.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    names = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and node.value.startswith("krat_plugins")
    ]
    assert names == [], f"{path}: names a krat_plugins module {names}"


MODEL_LAYER = (
    "krat_core.format.models",
    "krat_core.format.codelists",
    "krat_core.format.textrules",
)
FOUNDATION = (
    "krat_core.errors",
    "krat_core.messages",
    "krat_core.format.codelists",
    "krat_core.format.textrules",
    "krat_core.format.regions",
    "krat_core.atomic",
    "krat_core.safety",
)
CONTRACT = (
    "krat_core.format.models",
    "krat_core.format.canonical",
    "krat_core.format.schema",
    "krat_core.format.pseudonym",
    "krat_core.findings",
    "krat_core.plugins.descriptors",
    "krat_core.plugins.hookspecs",
)


@pytest.mark.parametrize(
    "path", _sources("krat_core/format/models"), ids=_names("krat_core/format/models")
)
def test_models_depend_only_on_code_lists(path: Path) -> None:
    bad = [
        i.module
        for i in _imports(path)
        if _within(i.module, "krat_core") and not any(_within(i.module, m) for m in MODEL_LAYER)
    ]
    assert bad == [], f"{path}: the models are the contract; they import only code lists"


@pytest.mark.parametrize("module", FOUNDATION)
def test_foundation_modules_import_nothing_of_krat(module: str) -> None:
    path = SRC / (module.replace(".", "/") + ".py")
    bad = [
        i.module for i in _imports(path) if _within(i.module, "krat_core") and i.module != module
    ]
    assert bad in ([], ["krat_core.errors"]), f"{path}: {bad}"


@pytest.mark.parametrize("module", CONTRACT)
def test_the_contract_layer_does_not_import_the_engine(module: str) -> None:
    base = SRC / module.replace(".", "/")
    paths = _sources(module.replace(".", "/")) if base.is_dir() else [base.with_suffix(".py")]
    allowed = (*FOUNDATION, *CONTRACT)
    for path in paths:
        bad = [
            i.module
            for i in _imports(path)
            if _within(i.module, "krat_core")
            and i.module != "krat_core"
            and not any(_within(i.module, m) for m in allowed)
        ]
        assert bad == [], f"{path}: the contract may use only the foundation and itself: {bad}"


@pytest.mark.parametrize(
    "path",
    [p for p in _sources("krat_core") if "cli" not in p.parts],
    ids=[n for n in _names("krat_core") if "/cli/" not in n],
)
def test_library_code_never_imports_the_cli_or_prints(path: Path) -> None:
    imports = [i.module for i in _imports(path) if _within(i.module, "krat_core.cli")]
    assert imports == [], f"{path}: the library must not depend on the command line"
    prints = _calls(path, functions={"print"})
    assert prints == [], f"{path}: library code never prints (lines {prints})"


@pytest.mark.parametrize(
    "path",
    _sources("krat_core") + _sources("krat_plugins"),
    ids=_names("krat_core") + _names("krat_plugins"),
)
def test_heavy_libraries_are_imported_inside_functions(path: Path) -> None:
    bad = [
        f"{i.module} (line {i.line})"
        for i in _imports(path)
        if i.top_level and any(_within(i.module, h) for h in HEAVY)
    ]
    assert bad == [], f"{path}: import these where they are used, not at start-up: {bad}"


@pytest.mark.parametrize(
    "path", _sources("krat_plugins/validators"), ids=_names("krat_plugins/validators")
)
def test_validators_never_read_or_write_files(path: Path) -> None:
    forbidden = ("krat_core.importing", "krat_core.reporting", "krat_core.atomic", "openpyxl")
    bad = [i.module for i in _imports(path) if any(_within(i.module, f) for f in forbidden)]
    assert bad == [], f"{path}: validators work on models only"
    opens = _calls(
        path,
        functions={"open"},
        methods={"read_bytes", "read_text", "write_bytes", "write_text", "open"},
    )
    assert opens == [], f"{path}: validators never open files (lines {opens})"


def test_the_resolver_handles_relative_imports(tmp_path: Path) -> None:
    node = ast.parse("from ..common import x").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert _resolve(SRC / "krat_core" / "format" / "models" / "case.py", node) == (
        "krat_core.format.common"
    )
    node = ast.parse("from . import y").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert _resolve(SRC / "krat_core" / "format" / "models" / "__init__.py", node) == (
        "krat_core.format.models"
    )


def test_the_scan_finds_hidden_imports(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import openpyxl\n"
        "try:\n    import docx\nexcept ImportError:\n    pass\n"
        "def f():\n    import krat_plugins.exporters.xlsx\n",
        encoding="utf-8",
    )
    found = {i.module: i.top_level for i in _imports(source)}
    assert found == {
        "typing": True,
        "openpyxl": False,
        "docx": True,
        "krat_plugins.exporters.xlsx": False,
    }


# --------------------------------------------------------------------------- cycles and size

MAX_LINES = 800
"""A krat_core module longer than this must say in its docstring's first paragraph
why it must be one module (the words "one module" and the reason)."""


def _import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the modules of ``package`` (under ``root``) it imports, by any
    import statement: at top level, under ``if TYPE_CHECKING``, in ``try`` or
    inside functions; relative imports resolved.

    ``from package import name`` is an edge to ``package.name`` when that is a
    module, else to the package. Importing a module also runs its parent
    packages' ``__init__``; those edges are left out, as the stage packages'
    ``__init__`` only name their submodules lazily (see krat_core/_lazy.py).
    """

    def name_of(path: Path) -> str:
        parts = path.relative_to(root).with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    modules = {name_of(p): p for p in sorted((root / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0:
                    base = node.module or ""
                else:
                    up = here[: len(here) - (node.level - 1)]
                    base = ".".join([*up, node.module] if node.module else up)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.add(sub if sub in modules else base)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _cycles(graph: Mapping[str, Set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_krat_core_has_no_import_cycles() -> None:
    graph = _import_graph(SRC, "krat_core")
    assert len(graph) > 20
    assert "krat_core.reporting.tables" in graph["krat_core.reporting.disclosure"]
    cycles = _cycles(graph)
    report = "\n".join(
        "  "
        + " <-> ".join(c)
        + "".join(f"\n    {a} -> {b}" for a in c for b in sorted(graph[a] & set(c)))
        for c in cycles
    )
    assert cycles == [], f"import cycles among krat_core modules:\n{report}"


def test_the_cycle_finder_sees_hidden_and_relative_imports(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    sources = {
        "__init__.py": "",
        "a.py": "from . import b\n",
        "b.py": "def f():\n    from .sub.c import x\n",
        "sub/__init__.py": "",
        "sub/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n",
        "sub/d.py": "from .. import a\nfrom pkg.sub import c\nimport os\n",
    }
    for name, text in sources.items():
        (package / name).write_text(text, encoding="utf-8")
    graph = _import_graph(tmp_path, "pkg")
    assert graph["pkg.a"] == {"pkg.b"}
    assert graph["pkg.sub.d"] == {"pkg.a", "pkg.sub.c"}
    assert _cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.c"]]
    assert _cycles({"x": {"y"}, "y": set()}) == []


def _first_paragraph(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return doc.split("\n\n")[0]


def test_no_krat_core_module_is_too_long_without_a_reason() -> None:
    too_long = []
    for path in _sources("krat_core"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and "one module" not in _first_paragraph(path).lower():
            too_long.append(f"  {path.relative_to(SRC)}: {lines} lines")
    assert too_long == [], (
        f"krat_core modules over {MAX_LINES} lines whose docstring's first paragraph does "
        "not say why they must be one module:\n" + "\n".join(too_long)
    )


EXAMPLES = SRC.parent / "examples"
PLUGIN_SOURCES = _sources("krat_plugins") + sorted(EXAMPLES.rglob("src/**/*.py"))


@pytest.mark.parametrize(
    "path", PLUGIN_SOURCES, ids=[str(p.relative_to(SRC.parent)) for p in PLUGIN_SOURCES]
)
def test_plugins_never_import_the_cli(path: Path) -> None:
    """Plugins use the library's public API only: loading them never imports click or the CLI."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules = [
        (alias.name, node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [
        (node.module or "", node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0
    ]
    bad = [f"{m} (line {line})" for m, line in modules if _within(m, "krat_core.cli")]
    assert bad == [], f"{path}: plugins must not import the command line: {bad}"


def test_the_plugin_check_sees_the_examples() -> None:
    assert any("krat_durres_register" in p.parts for p in PLUGIN_SOURCES)
    assert SRC / "krat_plugins" / "exporters" / "template.py" in PLUGIN_SOURCES
