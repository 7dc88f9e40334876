"""Shared fixtures: synthetic submissions (never real data) and a CLI runner."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from krat_core.demo.synthetic import generate_national, generate_submission
from krat_core.format.models import Submission

# Property tests check behaviour, never speed: no per-example deadline, so a loaded CI
# machine cannot turn a slow example into a failure. Example counts stay as each test sets.
# On a developer's machine examples are random, to keep finding new bugs; under CI they
# are derandomized, so a run is reproducible and a red build always means a change broke it.
settings.register_profile("krat", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("krat-ci", parent=settings.get_profile("krat"), derandomize=True)
settings.load_profile("krat-ci" if os.environ.get("CI") else "krat")


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
