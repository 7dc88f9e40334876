"""Developer sessions: `nox -s tests lint typecheck schemas docs bench demo attack`."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True

EXAMPLE_PLUGIN = "./examples/krat-durres-register"


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (the same as the README's test command)."""
    session.install("-e", ".[test]", "-e", EXAMPLE_PLUGIN)
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def explore(session: nox.Session) -> None:
    """Property tests with fresh random examples (1,000 a test): a failure found here is
    added to its test as an `@example`, so the README's derandomized run keeps it."""
    session.install("-e", ".[test]", "-e", EXAMPLE_PLUGIN)
    session.run(
        "python",
        "-m",
        "pytest",
        "-p",
        "no:randomly",
        *(session.posargs or ["tests"]),
        env={"KRAT_HYPOTHESIS": "explore"},
    )


@nox.session
def attack(session: nox.Session) -> None:
    """The disclosure attack at length: the integer-programming attacker against the
    public releases of many generated national datasets (10^2 to 10^4 cases), and
    against successive releases (tests/test_release_attack.py, KRAT_ATTACK=long)."""
    session.install("-e", ".[test]", "-e", EXAMPLE_PLUGIN)
    session.run(
        "python",
        "-m",
        "pytest",
        "-p",
        "no:randomly",
        "tests/test_release_attack.py",
        *session.posargs,
        env={"KRAT_ATTACK": "long"},
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff: lint and format check."""
    session.install("ruff>=0.5")
    paths = ("src", "tests", "benchmarks", "examples", "noxfile.py")
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy, strict on krat_core."""
    session.install("-e", ".[all]", "mypy>=1.10", "pytest", "hypothesis")
    session.run("mypy")


@nox.session
def schemas(session: nox.Session) -> None:
    """Regenerate the published JSON Schemas and the format reference from the models."""
    session.install("-e", ".")
    session.run("krat", "schema", "--out", "schemas", "--doc", "docs/format.md")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site (mkdocs) into site/."""
    session.install("-e", ".", "mkdocs>=1.6")
    session.run("mkdocs", "build", "--strict")


@nox.session
def bench(session: nox.Session) -> None:
    """Run the benchmarks; figures go to docs/performance.md by hand."""
    session.install("-e", ".[dev]")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The whole pipeline on synthetic data for all twelve regions."""
    session.install(".[all]")
    session.run("krat", "demo", "--out", "krat-demo")
