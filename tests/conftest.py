"""Project-wide test settings."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.fakes.fixtures import fake_groq, fake_telegram  # noqa: F401 - shared fixtures

# CI machines are small and shared: a property test must never fail for being slow.
settings.register_profile(
    "medbot", deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
settings.load_profile("medbot")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run in which no test passed must not look green ("no tests ran" never passes)."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    passed = len(reporter.stats.get("passed", [])) if reporter is not None else 0
    if exitstatus == 0 and passed == 0:
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED
