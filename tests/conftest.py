"""Session-wide test setup: an isolated data dir per test and one Prefect harness."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Before anything imports Prefect: keep the test harness quiet and local.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_harness():
    """A temporary Prefect API for the session (about 9 s, so only once)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """Point every Settings() at a fresh data dir."""
    path = tmp_path / "data"
    monkeypatch.setenv("RADAR_DATA_DIR", str(path))
    return path


@pytest.fixture
def receiver(monkeypatch):
    from tests.fixtures.receiver import NO_PROXY, Receiver

    for key, value in NO_PROXY.items():
        monkeypatch.setenv(key, value)
    with Receiver() as rec:
        yield rec


# pytest's own __main__, as it was when the session started
_PYTEST_MAIN = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def _keep_main_module():
    """Streamlit's AppTest installs the app script as sys.modules["__main__"] and leaves it
    there; processes started later by spawn or a fork server (crawl workers, Dask workers)
    import the parent's __main__ and would run the app. Each test gets pytest's back, also
    after a session or module fixture ran AppTest before this fixture could look."""
    sys.modules["__main__"] = _PYTEST_MAIN
    yield
    sys.modules["__main__"] = _PYTEST_MAIN
