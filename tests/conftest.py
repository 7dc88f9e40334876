"""Shared fixtures: synthetic submissions (never real data) and a CLI runner."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from krat_core.demo.synthetic import generate_national, generate_submission
from krat_core.format.models import Submission

# Property tests check behaviour, never speed: no per-example deadline, so a loaded CI
# machine cannot turn a slow example into a failure.
#
# The README's test command must pass for a new user every time, so the default profile is
# derandomized: the same examples on every machine and every run, and a red run always means
# a change broke something. Fresh random examples are explored by `nox -s explore`
# (KRAT_HYPOTHESIS=explore); every failure it finds is added to its test as an `@example`.
settings.register_profile(
    "krat", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "explore",
    deadline=None,
    derandomize=False,
    max_examples=1000,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("KRAT_HYPOTHESIS", "krat"))

# Tests load plugins explicitly: the built-ins always, and of the third-party plugins only
# the example region plugin, whatever else a developer has installed.
os.environ["KRAT_PLUGINS"] = "durres-register"


@pytest.fixture(scope="session")
def national_2024() -> list[Submission]:
    """Twelve synthetic regional submissions for 2024."""
    return generate_national(2024)


@pytest.fixture(scope="session")
def durres_2024() -> Submission:
    """A synthetic Durrës (AL-02) submission for 2024."""
    return generate_submission("AL-02", 2024)


@pytest.fixture
def runner() -> CliRunner:
    """A click runner for `krat` commands."""
    return CliRunner()
