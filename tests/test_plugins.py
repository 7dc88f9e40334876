"""The plugin system: loading, checking, registries, `krat plugins`, runtime failures, the kit.

Third-party plugins are real distributions made in a temporary folder (a
``*.dist-info`` folder with ``entry_points.txt`` on ``sys.path``), so loading goes
through ``importlib.metadata`` exactly as for a ``pip install``-ed package.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from krat_core import hookimpl
from krat_core.cli import cli
from krat_core.demo.synthetic import generate_submission
from krat_core.errors import ExportError, PluginError
from krat_core.findings import Problem, Severity
from krat_core.plugins.descriptors import (
    Exporter,
    ExportOptions,
    Importer,
    ImportOptions,
    ImportResult,
    Rule,
)
from krat_core.plugins.manager import load_plugins

ROOT = Path(__file__).resolve().parents[1]

Install = Callable[..., Path]


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """Install a tiny distribution into a temporary site folder on ``sys.path``.

    ``install(dist, entry_points={"name": "module"}, modules={"module": "source"})``
    """
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    created: list[str] = []

    def _install(
        dist: str,
        *,
        entry_points: dict[str, str],
        modules: dict[str, str],
        version: str = "1.2.3",
    ) -> Path:
        for module, source in modules.items():
            (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
            created.append(module)
        info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
        )
        lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
        (info / "entry_points.txt").write_text(f"[krat]\n{lines}", encoding="utf-8")
        importlib.invalidate_caches()
        return site

    yield _install
    for module in created:
        sys.modules.pop(module, None)
    importlib.invalidate_caches()


def _read(paths: Any, options: ImportOptions) -> ImportResult:
    return ImportResult(submission=generate_submission("AL-02", 2024, cases=1, activities=1))


def _write(dataset: Any, path: Path, options: ExportOptions) -> None:
    path.write_text("ok\n", encoding="utf-8")


def _check(record: Any, context: Any) -> list[Problem]:
    return []


def importer(name: str = "fake", read: Any = _read) -> Importer:
    return Importer(name=name, suffixes=(".fake",), read=read)


def rule(code: str = "fake.rule", check: Any = _check, regions: Any = None) -> Rule:
    return Rule(
        code=code,
        severity=Severity.WARNING,
        kinds=("case",),
        check=check,
        title_en="A fake rule",
        title_sq="Një rregull i rremë",
        regions=regions,
    )


def exporter(name: str = "fake", write: Any = _write) -> Exporter:
    return Exporter(name=name, suffix=".txt", media_type="text/plain", write=write)


class Provides:
    """A plugin object that registers the given descriptors."""

    def __init__(self, *items: Any) -> None:
        self.items = items

    @hookimpl
    def krat_importers(self) -> list[Importer]:
        return [i for i in self.items if isinstance(i, Importer)]

    @hookimpl
    def krat_validators(self) -> list[Rule]:
        return [i for i in self.items if isinstance(i, Rule)]

    @hookimpl
    def krat_exporters(self) -> list[Exporter]:
        return [i for i in self.items if isinstance(i, Exporter)]


def only(*plugins: tuple[str, object]) -> Any:
    return load_plugins(plugins=list(plugins), entry_points=False)


THREE_HOOKS_MODULE = """
    from krat_core import hookimpl
    from krat_core.plugins.descriptors import Exporter, Importer, ImportResult, Rule
    from krat_core.findings import Severity

    def read(paths, options):
        raise NotImplementedError

    @hookimpl
    def krat_importers():
        return [Importer(name="{prefix}-register", suffixes=(".xlsx",), read=read)]

    @hookimpl
    def krat_validators():
        return [Rule(code="{prefix}.rule", severity=Severity.WARNING, kinds=("case",),
                     check=lambda record, context: [], title_en="t", title_sq="t",
                     regions=("AL-02",))]

    @hookimpl
    def krat_exporters():
        return [Exporter(name="{prefix}-txt", suffix=".txt", media_type="text/plain",
                         write=lambda data, path, options: path.write_text("x"))]
"""


def three_hooks(prefix: str) -> str:
    return THREE_HOOKS_MODULE.replace("{prefix}", prefix)


def typo_module(hook: str) -> str:
    """Source of a plugin module implementing ``hook`` (a misspelled hook name) with @hookimpl."""
    return f"from krat_core import hookimpl\n\n@hookimpl\ndef {hook}():\n    return []\n"


# --------------------------------------------------------------------------- entry points


def test_entry_point_plugin_loads_with_distribution_and_version(install: Install) -> None:
    install(
        "krat-alpha",
        entry_points={"alpha": "krat_alpha_mod"},
        modules={"krat_alpha_mod": three_hooks("alpha")},
        version="0.4.1",
    )
    registry = load_plugins(env={})
    info = registry.plugins["alpha"]
    assert (info.distribution, info.version, info.builtin) == ("krat-alpha", "0.4.1", False)
    assert info.module == "krat_alpha_mod"
    assert info.hooks == ["krat_importers", "krat_validators", "krat_exporters"]
    assert (info.importers, info.rules, info.exporters) == (
        ["alpha-register"],
        ["alpha.rule"],
        ["alpha-txt"],
    )
    assert registry.importers["alpha-register"].plugin == "alpha"
    assert registry.rules["alpha.rule"].regions == ("AL-02",)
    assert registry.exporters["alpha-txt"].plugin == "alpha"
    assert ("krat-alpha", "0.4.1") in registry.component_versions()


def test_builtin_entry_points_are_marked_builtin_and_all_load() -> None:
    from importlib import metadata

    declared = {
        ep.name for ep in metadata.entry_points(group="krat") if ep.dist and ep.dist.name == "krat"
    }
    assert declared, "the krat distribution declares its built-in plugins"
    registry = load_plugins(env={"KRAT_PLUGINS": ""})
    failed = {s.name: s.reason for s in registry.skipped if s.name in declared}
    assert failed == {}
    assert {n for n, p in registry.plugins.items() if p.builtin} == declared
    assert registry.component_versions() == []  # built-ins are not listed as extra components


def test_builtins_are_registered_before_plugins_passed_as_objects() -> None:
    registry = load_plugins(
        plugins=[("mine", Provides(importer("mine")))], env={"KRAT_PLUGINS": ""}
    )
    names = list(registry.plugins)
    assert names[-1] == "mine"
    assert all(registry.plugins[n].builtin for n in names[:-1])


# --------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize(
    ("first", "second", "what"),
    [
        (importer("same"), importer("same"), "importer name 'same'"),
        (rule("same.code"), rule("same.code"), "rule name 'same.code'"),
        (exporter("same"), exporter("same"), "exporter name 'same'"),
    ],
)
def test_duplicate_names_skip_the_later_plugin_naming_both(
    first: Any, second: Any, what: str
) -> None:
    # Issue 11: a clash no longer stops every command; the later plugin is skipped.
    registry = only(("first-plugin", Provides(first)), ("second-plugin", Provides(second)))
    assert "first-plugin" in registry.plugins and "second-plugin" not in registry.plugins
    (skipped,) = registry.skipped
    assert skipped.name == "second-plugin" and skipped.status == "failed"
    assert what in skipped.reason and "'first-plugin'" in skipped.reason
    assert any("'second-plugin'" in p and what in p for p in registry.problems)


def test_duplicate_name_within_one_plugin_skips_it() -> None:
    registry = only(
        ("good", Provides(importer("g"))), ("p", Provides(importer("twice"), importer("twice")))
    )
    assert "p" not in registry.plugins and "twice" not in registry.importers
    assert "g" in registry.importers
    assert "importer name 'twice'" in registry.skipped[0].reason


def test_duplicate_across_installed_distributions_names_both(install: Install) -> None:
    install(
        "krat-one", entry_points={"one": "krat_one_mod"}, modules={"krat_one_mod": three_hooks("x")}
    )
    install(
        "krat-two", entry_points={"two": "krat_two_mod"}, modules={"krat_two_mod": three_hooks("x")}
    )
    registry = load_plugins(env={"KRAT_PLUGINS": "one,two"})
    assert "one" in registry.plugins and "two" not in registry.plugins
    failed = [s for s in registry.skipped if s.status == "failed"]
    assert [(s.name, s.distribution) for s in failed] == [("two", "krat-two")]
    assert "already registered by plugin 'one'" in failed[0].reason
    assert failed[0].rules_lost  # three_hooks registers a rule: validation is incomplete
    assert any("'two' (krat-two)" in p for p in registry.problems)


def test_two_plugins_with_the_same_entry_point_name_skip_the_second() -> None:
    registry = only(("dup", Provides(importer("a"))), ("dup", Provides(importer("b"))))
    assert "a" in registry.importers and "b" not in registry.importers
    assert "another plugin already has the name 'dup'" in registry.skipped[0].reason


# --------------------------------------------------------------------------- misspelled hooks


def test_misspelled_hook_skips_the_plugin_naming_the_right_hook() -> None:
    class Misspelled:
        @hookimpl
        def krat_importer(self) -> list[Importer]:
            return [importer()]

    registry = only(("good", Provides(importer("g"))), ("typo-plugin", Misspelled()))
    assert "good" in registry.plugins and "typo-plugin" not in registry.plugins
    (skipped,) = registry.skipped
    assert skipped.name == "typo-plugin"
    assert "'krat_importer'" in skipped.reason and "did you mean 'krat_importers'" in skipped.reason
    assert not skipped.rules_lost


def test_misspelled_hook_in_an_installed_plugin_names_its_distribution(install: Install) -> None:
    install(
        "krat-typo",
        entry_points={"typo": "krat_typo_mod"},
        modules={"krat_typo_mod": typo_module("krat_validator")},
    )
    registry = load_plugins(env={"KRAT_PLUGINS": "typo"})
    assert "typo" not in registry.plugins
    assert any(
        "plugin 'typo' (krat-typo) was skipped" in p and "krat_validators" in p
        for p in registry.problems
    )


def test_hook_with_wrong_arguments_skips_the_plugin_naming_it() -> None:
    class WrongArgs:
        @hookimpl
        def krat_cli_commands(self, group: Any) -> None:
            pass

    registry = only(("good", Provides(importer("g"))), ("wrong-args", WrongArgs()))
    assert "wrong-args" not in registry.plugins and "g" in registry.importers
    assert "group" in registry.skipped[0].reason
    assert any("'wrong-args'" in p for p in registry.problems)


def test_hook_function_without_hookimpl_is_reported_not_silently_ignored() -> None:
    class Forgot:
        def krat_importers(self) -> list[Importer]:
            return [importer("forgotten")]

    registry = only(("forgetful", Forgot()))
    assert "forgotten" not in registry.importers
    assert any("'forgetful'" in p and "@hookimpl" in p for p in registry.problems)


# --------------------------------------------------------------------------- failing plugins


def test_plugin_that_fails_to_import_is_skipped_with_a_warning_and_others_load(
    install: Install,
) -> None:
    install(
        "krat-broken",
        entry_points={"broken": "krat_broken_mod"},
        modules={"krat_broken_mod": "import a_module_that_is_not_installed_anywhere\n"},
    )
    install(
        "krat-fine",
        entry_points={"fine": "krat_fine_mod"},
        modules={"krat_fine_mod": three_hooks("fine")},
    )
    registry = load_plugins(env={"KRAT_PLUGINS": "broken,fine"})
    assert "fine-register" in registry.importers
    assert "broken" not in registry.plugins
    (skipped,) = [s for s in registry.skipped if s.name == "broken"]
    assert (skipped.status, skipped.distribution) == ("failed", "krat-broken")
    assert "a_module_that_is_not_installed_anywhere" in skipped.reason
    (warning,) = [p for p in registry.problems if "'broken'" in p]
    assert "krat-broken" in warning and "ModuleNotFoundError" in warning


def test_hook_krat_importers_that_raises_skips_the_whole_plugin_by_name() -> None:
    class Raises(Provides):
        @hookimpl
        def krat_importers(self) -> list[Importer]:
            raise RuntimeError("register file missing")

    registry = only(("raiser", Raises(rule("raiser.rule"))), ("fine", Provides(importer("ok"))))
    assert "ok" in registry.importers
    assert "raiser" not in registry.plugins and "raiser.rule" not in registry.rules
    (problem,) = registry.problems
    assert "'raiser'" in problem and "krat_importers()" in problem
    assert "RuntimeError: register file missing" in problem
    assert [s.name for s in registry.skipped] == ["raiser"]


def test_a_skipped_plugin_adds_no_cli_commands() -> None:
    class Raises(Provides):
        @hookimpl
        def krat_validators(self) -> list[Rule]:
            raise ValueError("nope")

        @hookimpl
        def krat_cli_commands(self, cli: Any) -> None:
            raise AssertionError("must not be called")

    registry = only(("raiser", Raises()))
    import click

    group = click.Group()
    registry.add_cli_commands(group)
    assert group.commands == {}


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ("not a descriptor", "not a krat_core.plugins.descriptors.Rule"),
        (rule("Bad Code"), "rule code 'Bad Code'"),
        (rule("x.y", regions=("AL-13",)), "regions ('AL-13',)"),
        (rule("x.y", regions="AL-02"), "regions 'AL-02'"),
    ],
)
def test_hook_krat_validators_returning_nonsense_skips_the_plugin(item: Any, reason: str) -> None:
    class Returns:
        @hookimpl
        def krat_validators(self) -> list[Any]:
            return [item]

    registry = only(("odd", Returns()))
    assert registry.rules == {}
    (skipped,) = registry.skipped
    assert skipped.name == "odd" and reason in skipped.reason


def test_bad_importer_and_exporter_descriptors_are_rejected() -> None:
    bad_importer = Importer(name="reg", suffixes=("xlsx",), read=_read)
    bad_exporter = Exporter(name="out", suffix=".txt", media_type="plain", write=_write)
    registry = only(("bad-in", Provides(bad_importer)), ("bad-out", Provides(bad_exporter)))
    reasons = {s.name: s.reason for s in registry.skipped}
    assert "suffixes ('xlsx',)" in reasons["bad-in"]
    assert "media_type 'plain'" in reasons["bad-out"]


# --------------------------------------------------------------------------- KRAT_PLUGINS


@pytest.fixture
def two_installed(install: Install) -> None:
    install(
        "krat-aa", entry_points={"aa": "krat_aa_mod"}, modules={"krat_aa_mod": three_hooks("aa")}
    )
    install(
        "krat-bb", entry_points={"bb": "krat_bb_mod"}, modules={"krat_bb_mod": three_hooks("bb")}
    )


@pytest.mark.usefixtures("two_installed")
def test_krat_plugins_unset_loads_every_installed_plugin() -> None:
    registry = load_plugins(env={})
    assert {"aa", "bb"} <= set(registry.plugins)


@pytest.mark.usefixtures("two_installed")
def test_krat_plugins_restricts_third_party_plugins_by_entry_point_or_distribution() -> None:
    by_entry_point = load_plugins(env={"KRAT_PLUGINS": "aa"})
    assert "aa" in by_entry_point.plugins and "bb" not in by_entry_point.plugins
    (disabled,) = [s for s in by_entry_point.skipped if s.name == "bb"]
    assert disabled.status == "disabled" and "KRAT_PLUGINS" in disabled.reason
    assert not any("'bb'" in p for p in by_entry_point.problems)  # a choice, not a warning

    by_distribution = load_plugins(env={"KRAT_PLUGINS": " krat-bb , "})
    assert "bb" in by_distribution.plugins and "aa" not in by_distribution.plugins


@pytest.mark.usefixtures("two_installed")
def test_krat_plugins_empty_loads_only_the_builtins() -> None:
    registry = load_plugins(env={"KRAT_PLUGINS": ""})
    assert all(p.builtin for p in registry.plugins.values())
    assert {"aa", "bb"} <= {s.name for s in registry.skipped if s.status == "disabled"}
    assert not any(s.status == "disabled" and s.distribution == "krat" for s in registry.skipped)


def test_krat_plugins_naming_an_unknown_plugin_warns() -> None:
    registry = load_plugins(env={"KRAT_PLUGINS": "durres-registr"})
    assert any("'durres-registr'" in p and "no installed plugin" in p for p in registry.problems)


# --------------------------------------------------------------------------- run time


def test_plugin_rule_that_raises_becomes_a_rule_error_finding_naming_the_plugin() -> None:
    from krat_core.validation.engine import validate

    def explode(record: Any, context: Any) -> list[Problem]:
        raise KeyError("identified_by")

    registry = only(("exploding", Provides(rule("exploding.rule", check=explode))))
    submission = generate_submission("AL-02", 2024, cases=4, activities=1)
    report = validate(submission, registry)
    errors = [f for f in report.findings if f.code == "rule-error"]
    assert len(errors) == 1
    (finding,) = errors
    assert finding.severity is Severity.ERROR
    assert (finding.plugin, finding.rule) == ("exploding", "exploding.rule")
    assert "exploding" in finding.message_en and "exploding" in finding.message_sq


def test_importer_that_raises_becomes_a_plugin_error_naming_it(tmp_path: Path) -> None:
    def crash(paths: Any, options: ImportOptions) -> ImportResult:
        raise IndexError("list index out of range")

    registry = only(("crashy", Provides(importer("crashy-in", read=crash))))
    source = tmp_path / "register.fake"
    source.write_text("x")
    with pytest.raises(PluginError) as caught:
        registry.importer_for("crashy-in").run([source], ImportOptions())
    assert caught.value.plugin == "crashy"
    assert "crashy-in" in str(caught.value) and "IndexError" in str(caught.value)


def test_unknown_importer_name_suggests_the_close_one() -> None:
    registry = only(("p", Provides(importer("durres-register"))))
    with pytest.raises(PluginError, match="did you mean 'durres-register'"):
        registry.importer_for("durres-registre")


def test_writer_that_raises_leaves_no_partial_file(tmp_path: Path) -> None:
    def half_then_crash(dataset: Any, path: Path, options: ExportOptions) -> None:
        path.write_text("half a report")
        raise RuntimeError("chart library exploded")

    registry = only(("flaky", Provides(exporter("flaky-out", write=half_then_crash))))
    target = tmp_path / "out" / "report.txt"
    with pytest.raises(ExportError) as caught:
        registry.exporter_for("flaky-out").export(generate_submission("AL-02", 2024), target)
    assert "flaky-out" in str(caught.value) and "'flaky'" in str(caught.value)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary file left either


def test_writer_that_raises_leaves_an_existing_file_untouched(tmp_path: Path) -> None:
    def crash(dataset: Any, path: Path, options: ExportOptions) -> None:
        path.write_text("new, broken")
        raise OSError("disk full")

    target = tmp_path / "report.txt"
    target.write_text("last year's good report")
    with pytest.raises(ExportError):
        exporter("x", write=crash).export(generate_submission("AL-02", 2024), target)
    assert target.read_text() == "last year's good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_exporter_export_writes_atomically_on_success(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    assert exporter().export(generate_submission("AL-02", 2024), target) == target
    assert target.read_text() == "ok\n"


# --------------------------------------------------------------------------- CLI hooks


class AddsHello:
    @hookimpl
    def krat_cli_commands(self, cli: Any) -> None:
        import click

        @cli.command()
        def hello() -> None:
            """Say hello."""
            click.echo("përshëndetje")


def test_hook_krat_cli_commands_adds_a_subcommand(
    install: Install, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "commands", dict(cli.commands))  # plugin commands stay in this test
    install(
        "krat-hello",
        entry_points={"hello": "krat_hello_mod"},
        modules={
            "krat_hello_mod": """
            import click
            from krat_core import hookimpl

            @hookimpl
            def krat_cli_commands(cli):
                @cli.command()
                def hello():
                    '''Say hello.'''
                    click.echo("përshëndetje")
        """
        },
    )
    result = runner.invoke(cli, ["hello"], env={"KRAT_PLUGINS": "hello"})
    assert result.exit_code == 0, result.output
    assert result.stdout == "përshëndetje\n"
    listing = runner.invoke(cli, ["--help"], env={"KRAT_PLUGINS": "hello"})
    assert "hello" in listing.stdout and "Say hello." in listing.stdout
    shown = json.loads(
        runner.invoke(cli, ["plugins", "--json"], env={"KRAT_PLUGINS": "hello"}).stdout
    )
    (entry,) = [p for p in shown["plugins"] if p["name"] == "hello"]
    assert entry["commands"] == ["hello"] and entry["hooks"] == ["krat_cli_commands"]


def test_failing_krat_cli_commands_is_a_warning_not_a_crash() -> None:
    class Fails:
        @hookimpl
        def krat_cli_commands(self, cli: Any) -> None:
            raise RuntimeError("bad command")

    import click

    registry = only(("fails", Fails()), ("hello", AddsHello()))
    group = click.Group()
    registry.add_cli_commands(group)
    assert "hello" in group.commands
    assert any("'fails'" in p and "bad command" in p for p in registry.problems)


# --------------------------------------------------------------------------- `krat plugins`


def test_krat_plugins_text_lists_plugins_builtins_and_skipped(
    install: Install, runner: CliRunner
) -> None:
    install(
        "krat-aa",
        entry_points={"aa": "krat_aa_mod"},
        modules={"krat_aa_mod": three_hooks("aa")},
        version="2.0.0",
    )
    install(
        "krat-zz",
        entry_points={"zz": "krat_zz_mod"},
        modules={"krat_zz_mod": "raise ImportError('no calamine')\n"},
    )
    install(
        "krat-off",
        entry_points={"off": "krat_off_mod"},
        modules={"krat_off_mod": three_hooks("off")},
    )
    result = runner.invoke(cli, ["plugins", "--lang", "en"], env={"KRAT_PLUGINS": "aa,zz"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    row = next(line for line in out.splitlines() if line.startswith("aa "))
    assert "krat-aa" in row and "2.0.0" in row and "importers, validators, exporters" in row
    assert (
        "importers: aa-register" in out and "rules: aa.rule" in out and "exporters: aa-txt" in out
    )
    assert re.search(r"^\S+ \*\s+krat\s", out, re.M), "built-ins are marked with *"
    assert re.search(r"zz \(krat-zz 1\.2\.3\): failed, importing 'krat_zz_mod' failed", out)
    assert re.search(r"off \(krat-off 1\.2\.3\): disabled, not listed in KRAT_PLUGINS", out)
    assert "krat: warning: plugin 'zz'" in result.stderr
    check = runner.invoke(cli, ["plugins", "--check"], env={"KRAT_PLUGINS": "aa,zz"})
    assert check.exit_code == 1
    assert runner.invoke(cli, ["plugins", "--check"], env={"KRAT_PLUGINS": "aa"}).exit_code in (
        0,
        1,
    )


def test_krat_plugins_json_is_a_stable_document(install: Install, runner: CliRunner) -> None:
    install(
        "krat-aa", entry_points={"aa": "krat_aa_mod"}, modules={"krat_aa_mod": three_hooks("aa")}
    )
    result = runner.invoke(cli, ["plugins", "--json"], env={"KRAT_PLUGINS": "aa"})
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert set(doc) == {"plugins", "skipped", "problems"}
    first = doc["plugins"][0]  # third-party plugins come first
    assert first == {
        "name": "aa",
        "module": "krat_aa_mod",
        "distribution": "krat-aa",
        "version": "1.2.3",
        "builtin": False,
        "hooks": ["krat_importers", "krat_validators", "krat_exporters"],
        "importers": ["aa-register"],
        "rules": ["aa.rule"],
        "exporters": ["aa-txt"],
        "commands": [],
    }
    assert all(p["builtin"] for p in doc["plugins"][1:])
    again = runner.invoke(cli, ["plugins", "--json"], env={"KRAT_PLUGINS": "aa"})
    assert again.stdout == result.stdout


def test_krat_plugins_lists_a_misspelled_hook_under_skipped_and_works(
    install: Install, runner: CliRunner
) -> None:
    install(
        "krat-typo",
        entry_points={"typo": "krat_typo_mod"},
        modules={"krat_typo_mod": typo_module("krat_exporter")},
    )
    result = runner.invoke(cli, ["plugins", "--lang", "en"], env={"KRAT_PLUGINS": "typo"})
    assert result.exit_code == 0, result.output
    assert "plugin 'typo' (krat-typo) was skipped" in result.stderr
    assert "krat_exporters" in result.stderr
    skipped = result.stdout[result.stdout.index("Skipped:") :]
    assert "typo (krat-typo 1.2.3): failed" in skipped and "KRAT_PLUGINS" in skipped
    assert "Traceback" not in result.output
    # every other command keeps working
    assert runner.invoke(cli, ["schema", "--help"], env={"KRAT_PLUGINS": "typo"}).exit_code == 0


def test_krat_help_with_a_broken_plugin_warns_and_still_shows_help(
    install: Install, runner: CliRunner
) -> None:
    install(
        "krat-typo",
        entry_points={"typo": "krat_typo_mod"},
        modules={"krat_typo_mod": typo_module("krat_importer")},
    )
    result = runner.invoke(cli, ["--help"], env={"KRAT_PLUGINS": "typo"})
    assert result.exit_code == 0
    assert "Usage: " in result.stdout and "plugins" in result.stdout
    assert "krat: warning: plugin 'typo'" in result.stderr


# --------------------------------------------------------------------------- the author kit


def toy_read(paths: Any, options: ImportOptions, bug: str | None = None) -> ImportResult:
    """A tiny importer of 'nr;gjinia' files, with optional deliberate bugs for the kit to catch."""
    from krat_core.errors import ImportFailed
    from krat_core.findings import Finding, SourcePosition
    from krat_core.format.codelists import Sex
    from krat_core.plugins.descriptors import SheetCount

    base = generate_submission("AL-02", 2024, cases=1, activities=0)
    cases, findings, counts = [], [], []
    for path in paths:
        try:
            lines = Path(path).read_text("utf-8").splitlines()
        except UnicodeDecodeError:
            raise ImportFailed("not UTF-8 text", source=path) from None
        if not lines or lines[0] != "nr;gjinia":
            if bug == "crash":
                int(lines[0])  # a plugin bug: ValueError / IndexError on broken files
            raise ImportFailed("not a toy register: no 'nr;gjinia' header", source=path)
        count = SheetCount(file=Path(path).name, sheet=None)
        for row, line in enumerate(lines[1:], start=2):
            count.rows_read += 1
            nr, _, sex = line.partition(";")
            parsed = Sex.parse(sex)
            if parsed is None or not nr.isdigit():
                if bug == "raise":
                    raise ValueError(f"bad sex {sex!r}")
                if bug == "lose":
                    continue
                position = (
                    None
                    if bug == "no-position"
                    else SourcePosition(count.file, None, row, "gjinia")
                )
                findings.append(
                    Finding(
                        "toy.bad-row",
                        Severity.ERROR,
                        message_en="bad row",
                        message_sq="rresht i gabuar",
                        position=position,
                    )
                )
                count.rejected += 1
                continue
            cases.append(
                base.cases[0].model_copy(
                    update={"id": f"AL-02-C-2024-{int(nr):04d}", "sex": parsed}
                )
            )
            count.records += 1
        counts.append(count)
    if bug == "drop" and cases:
        cases.pop()  # a record lost after counting: the counts still say all were read
    if bug == "leak" and cases:
        cases[0] = cases[0].model_copy(update={"extensions": {"toy": {"note": "emri: Arta Hoxha"}}})
    for count in counts:
        count.kind = "case"
    submission = base.model_copy(update={"cases": cases})
    return ImportResult(submission=submission, findings=findings, counts=counts)


def toy_importer(bug: str | None = None, sniff: Any = None) -> Importer:
    return Importer(
        name="toy",
        suffixes=(".toy",),
        read=lambda paths, options: toy_read(paths, options, bug),
        sniff=sniff,
    )


@pytest.fixture
def toy_files(tmp_path: Path) -> tuple[Path, Path]:
    good = tmp_path / "good.toy"
    good.write_text("nr;gjinia\n1;F\n2;mashkull\n3;femër\n", encoding="utf-8")
    bad = tmp_path / "bad.toy"
    bad.write_text("nr;gjinia\n1;F\n2;Z\n", encoding="utf-8")
    return good, bad


def test_kit_check_importer_accepts_a_correct_importer(
    toy_files: tuple[Path, Path], tmp_path: Path
) -> None:
    from krat_core.plugins.testing import check_importer

    good, bad = toy_files
    check_importer(toy_importer(), [good], [bad], expected_rows={"good.toy": 3}, tmp_path=tmp_path)


@pytest.mark.parametrize(
    ("bug", "message"),
    [
        ("lose", "lost rows"),
        ("raise", "failed while reading"),
        ("no-position", "rows have an error finding with that position"),
        ("crash", "crashed on broken-"),
    ],
)
def test_kit_check_importer_catches_a_broken_importer(
    toy_files: tuple[Path, Path], tmp_path: Path, bug: str, message: str
) -> None:
    from krat_core.plugins.testing import ContractError, check_importer

    good, bad = toy_files
    with pytest.raises(ContractError, match=message):
        check_importer(toy_importer(bug), [good], [bad], tmp_path=tmp_path)


def test_kit_check_importer_catches_a_silently_skipped_row_and_a_greedy_sniff(
    toy_files: tuple[Path, Path], tmp_path: Path
) -> None:
    from krat_core.plugins.testing import ContractError, check_importer

    good, bad = toy_files
    with pytest.raises(ContractError, match=r"read 3 data rows from good\.toy, expected 4"):
        check_importer(toy_importer(), [good], [bad], expected_rows={"good.toy": 4})
    with pytest.raises(ContractError, match="sniff\\(\\) claims garbage"):
        check_importer(
            toy_importer(sniff=lambda path, head: True), [good], [bad], tmp_path=tmp_path
        )
    with pytest.raises(ContractError, match=r"does not recognise good\.toy"):
        check_importer(toy_importer(sniff=lambda path, head: False), [good], [bad])


class TestToyImporterContract:
    """The ready-made contract class runs each check as its own test."""

    from krat_core.plugins.testing import ImporterContract as _Base

    class TestContract(_Base):
        @pytest.fixture
        def importer(self) -> Importer:
            return toy_importer()

        @pytest.fixture
        def good_files(self, toy_files: tuple[Path, Path]) -> list[Path]:
            return [toy_files[0]]

        @pytest.fixture
        def bad_files(self, toy_files: tuple[Path, Path]) -> list[Path]:
            return [toy_files[1]]

        @pytest.fixture
        def expected_rows(self) -> dict[str, int]:
            return {"good.toy": 3}


def json_write(dataset: Any, path: Path, options: ExportOptions) -> None:
    from krat_core.format.canonical import dump_submission

    path.write_bytes(dump_submission(dataset))


def json_read(paths: Any, options: ImportOptions) -> ImportResult:
    from krat_core.format.canonical import load_submission
    from krat_core.plugins.descriptors import SheetCount

    submission = load_submission(Path(paths[0]))
    n = len(submission.records())
    return ImportResult(submission=submission, counts=[SheetCount(Path(paths[0]).name, None, n, n)])


def test_kit_check_exporter_accepts_a_correct_exporter_and_reads_it_back(tmp_path: Path) -> None:
    from krat_core.plugins.testing import check_exporter

    good = Exporter(
        name="toy-json", suffix=".json", media_type="application/json", write=json_write
    )
    back = Importer(name="toy-json", suffixes=(".json",), read=json_read)
    written = check_exporter(good, tmp_path=tmp_path, reproducible=True, read_back=back)
    assert written.suffix == ".json" and written.stat().st_size > 0


class TestToyExporterContract:
    """The ready-made exporter contract class, with read-back through an importer."""

    from krat_core.plugins.testing import ExporterContract as _Base

    class TestContract(_Base):
        @pytest.fixture
        def exporter(self) -> Exporter:
            return Exporter("toy-json", ".json", "application/json", json_write)

        @pytest.fixture
        def reproducible(self) -> bool:
            return True

        @pytest.fixture
        def read_back(self) -> Importer:
            return Importer(name="toy-json", suffixes=(".json",), read=json_read)


def test_kit_check_exporter_catches_mutation_stray_files_and_empty_output(tmp_path: Path) -> None:
    from krat_core.plugins.testing import ContractError, check_exporter

    def mutates(dataset: Any, path: Path, options: ExportOptions) -> None:
        dataset.cases.pop()
        json_write(dataset, path, options)

    def beside(dataset: Any, path: Path, options: ExportOptions) -> None:
        json_write(dataset, path, options)
        json_write(dataset, path.with_suffix(".json"), options)

    def unstable(dataset: Any, path: Path, options: ExportOptions) -> None:
        import time

        path.write_text(str(time.perf_counter_ns()))

    def make(write: Any) -> Exporter:
        return Exporter(name="toy-json", suffix=".json", media_type="application/json", write=write)

    with pytest.raises(ContractError, match="changed the data"):
        check_exporter(make(mutates), tmp_path=tmp_path)
    with pytest.raises(ContractError, match="besides the path"):
        check_exporter(make(beside), tmp_path=tmp_path)
    with pytest.raises(ContractError, match="two exports of the same data differ"):
        check_exporter(make(unstable), tmp_path=tmp_path, reproducible=True)
    with pytest.raises(ExportError, match="wrote nothing"):
        check_exporter(make(lambda d, p, o: None), tmp_path=tmp_path)


def test_kit_fixtures_are_available_through_the_pytest11_entry_point(
    krat_submission: Any, krat_registry: Any
) -> None:
    submission = krat_submission("AL-07", 2023, cases=2)
    assert submission.region == "AL-07" and len(submission.cases) == 2
    registry = krat_registry(plugins=[("p", Provides(importer("kit")))], entry_points=False)
    assert list(registry.importers) == ["kit"]


def test_kit_and_cli_start_up_import_nothing_heavy() -> None:
    code = (
        "import sys, krat_core.cli, krat_core.plugins.testing\n"
        "from krat_core.plugins.manager import load_plugins\n"
        "load_plugins()\n"
        "heavy = {'openpyxl', 'python_calamine', 'docx', 'matplotlib', 'lxml', 'numpy'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    version = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "from krat_core.cli import main; main(['-V'])"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "KRAT_PLUGINS": ""},
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in version.stderr.splitlines()}
    # `krat --version` needs neither the models nor the plugin manager.
    assert not imported & {
        "pydantic",
        "pluggy",
        "openpyxl",
        "python_calamine",
        "docx",
        "matplotlib",
    }


# --------------------------------------------------------------------------- the Durrës example

EXAMPLE = ROOT / "examples" / "krat-durres-register"
DURRES_RULE = "durres.mobile-unit-needs-institution"


def _durres_installed() -> Any:
    """The example plugin, installed as the README's test command does (pip install -e)."""
    try:
        import krat_durres_register
    except ModuleNotFoundError:
        pytest.fail(
            "the example plugin is not installed: run "
            "`python -m pip install -e ./examples/krat-durres-register` (see README)"
        )
    return krat_durres_register


def test_durres_example_is_installed_and_loads_through_its_entry_point() -> None:
    _durres_installed()
    registry = load_plugins(env={"KRAT_PLUGINS": "durres-register"})
    info = registry.plugins["durres-register"]
    assert (info.distribution, info.builtin) == ("krat-durres-register", False)
    assert info.importers == ["durres-register"] and info.rules == [DURRES_RULE]
    assert registry.rules[DURRES_RULE].regions == ("AL-02",)


def test_durres_example_own_test_suite_passes() -> None:
    _durres_installed()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(EXAMPLE / "tests"),
            # Reproducible under CI, like the project's own property tests (tests/conftest.py).
            *(["--hypothesis-seed=0"] if os.environ.get("CI") else []),
        ],
        capture_output=True,
        text=True,
        cwd=EXAMPLE,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert re.search(r"\b\d+ passed\b", done.stdout) and "failed" not in done.stdout


@pytest.fixture
def durres_register(tmp_path: Path) -> tuple[Path, Path]:
    """A synthetic Durrës register (first row: mobile unit, no institution) and a key file."""
    _durres_installed()
    from krat_durres_register.sample import register_rows, write_register

    rows = register_rows(generate_submission("AL-02", 2024, cases=12, activities=0, seed=3))
    rows[0] = {
        **rows[0],
        "Burimi i identifikimit": "njësi e lëvizshme identifikimi",
        "Institucioni identifikues": None,
    }
    register = write_register(tmp_path / "regjistri-2024.xlsx", rows)
    key = tmp_path / "national.key"
    key.write_text("ab" * 32 + "\n", encoding="ascii")
    return register, key


def test_krat_import_uses_the_durres_importer(
    durres_register: tuple[Path, Path], tmp_path: Path, runner: CliRunner
) -> None:
    from krat_core.format.canonical import load_submission

    register, key = durres_register
    out = tmp_path / "AL-02-2024.json"
    args = ["import", str(register), "--from", "durres-register", "--key", str(key), "-o", str(out)]
    result = runner.invoke(cli, args, env={"KRAT_PLUGINS": "durres-register"})
    assert result.exit_code == 0, result.output
    submission = load_submission(out)
    assert submission.region == "AL-02" and len(submission.cases) == 12
    assert {"name": "krat-durres-register", "version": "0.1.0"} in [
        p.model_dump() for p in submission.generator.plugins
    ]


def test_krat_validate_runs_the_durres_importer_and_its_al02_rule(
    durres_register: tuple[Path, Path], tmp_path: Path, runner: CliRunner
) -> None:
    register, key = durres_register
    env = {"KRAT_PLUGINS": "durres-register"}
    args = ["validate", str(register), "--key", str(key), "--format", "json", "--lang", "en"]
    result = runner.invoke(cli, args, env=env)
    assert result.exit_code == 1, result.output  # the Durrës rule is an error
    report = json.loads(result.stdout)
    (finding,) = [f for f in report["findings"] if f["code"] == DURRES_RULE]
    assert finding["plugin"] == "durres-register"
    assert finding["position"]["file"] == register.name
    assert finding["position"]["row"] == 4
    assert finding["position"]["column"] == "Institucioni identifikues"


def test_krat_validate_does_not_run_the_durres_rule_on_other_regions(
    tmp_path: Path, runner: CliRunner
) -> None:
    from krat_core.format.canonical import dump_submission
    from krat_core.format.codelists import IdentificationSource

    _durres_installed()
    for region in ("AL-02", "AL-11"):
        submission = generate_submission(region, 2024, cases=3, activities=0)
        first = submission.cases[0].model_copy(
            update={
                "identification_source": IdentificationSource.MOBILE_UNIT,
                "identified_by": None,
            }
        )
        submission = submission.model_copy(update={"cases": [first, *submission.cases[1:]]})
        path = tmp_path / f"{region}.json"
        path.write_bytes(dump_submission(submission))
        result = runner.invoke(
            cli,
            ["validate", str(path), "--format", "json"],
            env={"KRAT_PLUGINS": "durres-register"},
        )
        codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
        assert (DURRES_RULE in codes) is (region == "AL-02"), region


def test_third_party_importers_are_asked_before_builtin_ones() -> None:
    regional = [("regional", Provides(importer("regional-xlsx")))]
    registry = load_plugins(plugins=regional, env={"KRAT_PLUGINS": ""})
    names = list(registry.importers)
    builtin = [n for n, imp in registry.importers.items() if registry.plugins[imp.plugin].builtin]
    assert len(builtin) >= 1
    assert names == ["regional-xlsx", *builtin]


# ----------------------------------------------------------- done when: a plugin from the docs


def _doc_example(name: str) -> str:
    """The code block that follows ``<!-- plugin-example: NAME -->`` in docs/plugins.md."""
    text = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    match = re.search(
        rf"<!-- plugin-example: {re.escape(name)} -->\s*```\w*\n(.*?)\n```", text, re.S
    )
    assert match, f"docs/plugins.md has no example {name}"
    return match.group(1) + "\n"


def test_a_plugin_written_from_the_docs_adds_an_importer_a_rule_and_an_exporter(
    install: Install, runner: CliRunner, tmp_path: Path
) -> None:
    import tomllib

    from krat_core.plugins.testing import check_exporter, check_importer

    project = tomllib.loads(_doc_example("pyproject.toml"))["project"]
    install(
        project["name"],
        version=project["version"],
        entry_points=project["entry-points"]["krat"],
        modules={"krat_lezhe_activities": _doc_example("krat_lezhe_activities.py")},
    )
    env = {"KRAT_PLUGINS": "lezhe-activities"}

    # `krat plugins` shows all three, from the installed distribution.
    listing = runner.invoke(cli, ["plugins", "--json"], env=env)
    (entry,) = [p for p in json.loads(listing.stdout)["plugins"] if p["name"] == "lezhe-activities"]
    assert entry["distribution"] == "krat-lezhe-activities" and entry["version"] == "0.1.0"
    assert entry["importers"] == ["lezhe-activities"]
    assert entry["rules"] == ["lezhe.activity-needs-participants"]
    assert entry["exporters"] == ["lezhe-summary"]
    text = runner.invoke(cli, ["plugins"], env=env).stdout
    assert "lezhe.activity-needs-participants" in text and "lezhe-summary" in text

    # The three work through the commands.
    log = tmp_path / "aktivitetet.tsv"
    log.write_text(
        "Data\tLloji\tTitulli\tPjesëmarrës\n"
        "2024-10-18\tforum ose debat\tForum për Ditën Evropiane\t45\n"
        "2024-13-01\tfushatë ndërgjegjësuese\tFushatë\t10\n"
        "\n"
        "2024-07-30\tfushatë ndërgjegjësuese\tDita Botërore\t\n",
        encoding="utf-8",
    )
    imported = tmp_path / "AL-08-2024.json"
    result = runner.invoke(
        cli, ["import", str(log), "--from", "lezhe-activities", "-o", str(imported)], env=env
    )
    assert imported.exists(), result.output
    validated = runner.invoke(cli, ["validate", str(imported), "--format", "json"], env=env)
    codes = [f["code"] for f in json.loads(validated.stdout)["findings"]]
    assert codes.count("lezhe.activity-needs-participants") == 1
    summary = tmp_path / "summary.txt"
    reported = runner.invoke(
        cli, ["report", str(imported), "--format", "lezhe-summary", "-o", str(summary)], env=env
    )
    assert reported.exit_code == 0, reported.output
    assert summary.read_text(encoding="utf-8").splitlines()[0] == "AL-08"

    # And they pass the author kit's contracts.
    registry = load_plugins(env=env)
    good = tmp_path / "good.tsv"
    good.write_text("Data\tLloji\tTitulli\tPjesëmarrës\n2024-10-18\tforum\tForum\t45\n")
    check_importer(registry.importers["lezhe-activities"], [good], [log], tmp_path=tmp_path)
    check_exporter(registry.exporters["lezhe-summary"], tmp_path=tmp_path, reproducible=True)


# --------------------------------------------------------------------------- one test per hook


def test_hook_krat_exporters_adds_a_format_that_krat_report_writes(
    install: Install, runner: CliRunner, tmp_path: Path
) -> None:
    from krat_core.format.canonical import dump_submission
    from krat_core.reporting.exporting import export

    install(
        "krat-counter",
        entry_points={"counter": "krat_counter_mod"},
        modules={
            "krat_counter_mod": """
                from krat_core import hookimpl
                from krat_core.plugins.descriptors import Exporter

                def write_count(dataset, path, options):
                    path.write_text(f"{dataset.region}: {len(dataset.cases)}\\n", encoding="utf-8")

                @hookimpl
                def krat_exporters():
                    return [Exporter("count-txt", ".count", "text/plain", write_count)]
            """
        },
    )
    env = {"KRAT_PLUGINS": "counter"}
    registry = load_plugins(env=env)
    assert registry.plugins["counter"].exporters == ["count-txt"]
    submission = generate_submission("AL-05", 2024, cases=3, activities=1)
    written = export(submission, tmp_path / "n.count", registry=registry)  # chosen by suffix
    assert written.read_text() == "AL-05: 3\n"

    source = tmp_path / "AL-05.json"
    source.write_bytes(dump_submission(submission))
    out = tmp_path / "report.count"
    args = ["report", str(source), "--format", "count-txt", "-o", str(out)]
    result = runner.invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    assert out.read_text() == "AL-05: 3\n"


def test_hook_krat_validators_rules_run_only_in_their_regions() -> None:
    from krat_core.validation.engine import validate

    def every_case(case: Any, context: Any) -> list[Problem]:
        return [Problem(pointer="/sex", en="seen", sq="parë")]

    registry = only(("scoped", Provides(rule("scoped.rule", check=every_case, regions=("AL-09",)))))
    assert registry.plugins["scoped"].rules == ["scoped.rule"]
    dibra = validate(generate_submission("AL-09", 2024, cases=2, activities=0), registry)
    vlora = validate(generate_submission("AL-12", 2024, cases=2, activities=0), registry)
    assert [f.record_id for f in dibra.findings if f.code == "scoped.rule"] == [
        "AL-09-C-2024-0001",
        "AL-09-C-2024-0002",
    ]
    assert not [f for f in vlora.findings if f.code == "scoped.rule"]


def test_hook_krat_importers_adds_an_importer_chosen_by_its_sniff(tmp_path: Path) -> None:
    from krat_core.importing import import_files

    def sniff(path: Path, head: bytes) -> bool:
        return head.startswith(b"nr;gjinia")

    registry = only(("toy", Provides(Importer("toy", (".toy",), toy_read, sniff))))
    good = tmp_path / "x.toy"
    good.write_text("nr;gjinia\n1;F\n", encoding="utf-8")
    result = import_files([good], ImportOptions(), registry)
    assert [c.id for c in result.submission.cases] == ["AL-02-C-2024-0001"]


def test_plugin_commands_do_not_change_the_shared_click_group(runner: CliRunner) -> None:
    """Plugin commands belong to one invocation: the module-level group stays as it was."""
    before = dict(cli.commands)
    first = runner.invoke(cli, ["plugins", "--json"])
    assert runner.invoke(cli, ["template", "--help"]).exit_code == 0
    second = runner.invoke(cli, ["plugins", "--json"])
    assert cli.commands == before
    assert first.stdout == second.stdout
    (template,) = [p for p in json.loads(first.stdout)["plugins"] if "template" in p["commands"]]
    assert template["builtin"]


# ------------------------------------------------------------------ faults contained (issue 11)

RAISING_VALIDATORS = """
    from krat_core import hookimpl

    @hookimpl
    def krat_validators():
        raise RuntimeError("boom")
"""

FAULTY_RULE = """
    from krat_core import hookimpl
    from krat_core.plugins.descriptors import Rule
    from krat_core.findings import Severity

    def check(record, context):
        raise KeyError("missing column")

    @hookimpl
    def krat_validators():
        return [Rule(code="faulty.rule", severity=Severity.ERROR, kinds=("case",),
                     check=check, title_en="t", title_sq="t")]
"""


def _submission_files(folder: Path, regions: Sequence[str]) -> list[Path]:
    from krat_core.demo.synthetic import generate_submission
    from krat_core.format.canonical import dump_submission

    paths = []
    for code in regions:
        path = folder / f"{code}-2024.json"
        path.write_bytes(dump_submission(generate_submission(code, 2024, cases=3, activities=2)))
        paths.append(path)
    return paths


def test_a_raising_validators_hook_makes_validation_incomplete(
    install: Install, runner: CliRunner, tmp_path: Path
) -> None:
    install(
        "krat-broken-rules",
        entry_points={"broken": "krat_broken_mod"},
        modules={"krat_broken_mod": RAISING_VALIDATORS},
    )
    (path,) = _submission_files(tmp_path, ["AL-02"])
    ok = runner.invoke(cli, ["validate", "--lang", "en", str(path)], env={"KRAT_PLUGINS": ""})
    assert ok.exit_code == 0, ok.output
    result = runner.invoke(
        cli, ["validate", "--lang", "en", str(path)], env={"KRAT_PLUGINS": "broken"}
    )
    assert result.exit_code == 2, result.output
    assert "VALID" not in result.stdout.replace("INVALID", "").replace("NOT VALID", "")
    assert "validation-incomplete" in result.stdout
    assert "The rules of plugin broken (krat-broken-rules) are missing" in result.stdout
    assert "Traceback" not in result.output
    # krat archive add stores the file and exits as krat validate does for it
    db = tmp_path / "archive.sqlite"
    added = runner.invoke(
        cli,
        ["archive", "add", "--db", str(db), "--lang", "en", str(path)],
        env={"KRAT_PLUGINS": "broken"},
    )
    assert added.exit_code == 2, added.output
    assert "new submission" in added.stdout and "the exit code is 2" in added.stdout
    listed = runner.invoke(cli, ["archive", "list", "--db", str(db), "--lang", "en"])
    assert "received" in listed.stdout


def test_combine_reports_a_rule_fault_once_and_blames_no_region(
    install: Install, runner: CliRunner, tmp_path: Path
) -> None:
    install(
        "krat-faulty",
        entry_points={"faulty": "krat_faulty_mod"},
        modules={"krat_faulty_mod": FAULTY_RULE},
    )
    paths = _submission_files(tmp_path, ["AL-01", "AL-02", "AL-03"])
    out = tmp_path / "national.json"
    result = runner.invoke(
        cli,
        ["combine", "--lang", "en", "--format", "json", "-o", str(out), *map(str, paths)],
        env={"KRAT_PLUGINS": "faulty"},
    )
    assert result.exit_code in (0, 1), result.output
    assert result.stderr.count("The rule faulty.rule of plugin faulty failed") == 1
    from krat_core.combine.national import load_dataset

    dataset = load_dataset(out)
    received = [c for c in dataset.completeness if c.status != "missing"]
    assert len(received) == 3
    assert not any(c.invalid for c in received)


def test_an_importer_without_sniff_never_takes_a_file_another_importer_recognises(
    tmp_path: Path,
) -> None:
    from krat_core.importing.guards import read_head
    from krat_core.importing.pipeline import choose_importer
    from krat_plugins.exporters.template import write_template

    template = tmp_path / "official.xlsx"
    write_template(template, None)
    greedy = Importer(name="greedy", suffixes=(".xlsx",), read=_read)
    registry = load_plugins(plugins=[("greedy", Provides(greedy))])
    assert registry.importers["greedy"].sniff is None
    assert choose_importer(template, read_head(template), registry).name == "xlsx"
    other = tmp_path / "register.xlsx"
    other.write_bytes(b"PK\x03\x04" + b"\x00" * 100)  # a zip the template importer does not read
    assert choose_importer(other, read_head(other), registry).name == "greedy"


@pytest.mark.parametrize(
    ("bug", "message"),
    [
        ("drop", r"counts 3 records \(kind: case\) but the submission holds 2 records"),
        ("leak", r"'Arta Hoxha' of an identity column appears in the output"),
    ],
)
def test_kit_counts_records_itself_and_finds_identity_values_in_the_output(
    toy_files: tuple[Path, Path], tmp_path: Path, bug: str, message: str
) -> None:
    from krat_core.plugins.testing import ContractError, check_importer

    good, bad = toy_files
    names = ["Arta Hoxha", "1990-04-12"]
    check_importer(toy_importer(), [good], [bad], tmp_path=tmp_path, identity_values=names)
    with pytest.raises(ContractError, match=message):
        check_importer(toy_importer(bug), [good], [bad], tmp_path=tmp_path, identity_values=names)
