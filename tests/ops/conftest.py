"""A real Prefect server for the operations tests, and the processes that talk to it.

`prefect_server` starts `prefect server start` on 127.0.0.1 and a free port, with
its own PREFECT_HOME and SQLite database in a temp dir and analytics off, and
waits for /api/health. `spawn` starts a process against it (a worker, `radar
serve`) and stops it when the test ends, always before the server stops.

Every subprocess gets an environment built here from scratch for Prefect and
Radar (no PREFECT_* or RADAR_* of the caller leaks in), so the session's
in-process `prefect_harness` and this server never see each other.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.fixtures.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PREFECT = str(BIN / "prefect")
TERMINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM the process group we started, then SIGKILL it if it lingers."""
    if process.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)  # its own session: the group id is its pid
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            continue


def tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class PrefectServer:
    url: str  # http://127.0.0.1:<port>/api
    env: dict[str, str]
    logs: Path
    process: subprocess.Popen | None = None
    children: list[subprocess.Popen] = field(default_factory=list)

    def api(self, method: str, path: str, json: object = None) -> object:
        """One REST call to the server's API; its JSON answer.

        Retries answers 5xx a few times, as Prefect's own client does (SQLite under a
        loaded machine can be busy); any other error fails with the server's answer.
        """
        for attempt in range(5):
            try:
                response = httpx.request(method, self.url + path, json=json, timeout=30)
            except httpx.TransportError:
                if attempt == 4:
                    raise
                time.sleep(1)
                continue
            if response.status_code < 500 or attempt == 4:
                break
            time.sleep(1)
        assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    def start(self, name: str, args: list[str], **env: str) -> subprocess.Popen:
        """A long-running process against this server; its output goes to logs/<name>.log."""
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.children.append(process)
        return process

    def cli(self, *args: str, timeout: float = 120, unset: tuple[str, ...] = ()) -> str:
        """Run `prefect <args>` from the repo root against this server; fail with its output."""
        result = subprocess.run(
            [PREFECT, *args],
            cwd=ROOT,
            env={k: v for k, v in self.env.items() if k not in unset},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, f"prefect {' '.join(args)}:\n{result.stdout}{result.stderr}"
        return result.stdout

    def wait_for_flow_run(self, flow_run_id: str, timeout: float) -> dict:
        """Poll the API until the run reaches a final state (or time is up); return the run."""
        deadline = time.monotonic() + timeout
        while True:
            run = self.api("GET", f"/flow_runs/{flow_run_id}")
            if run["state_type"] in TERMINAL_STATES or time.monotonic() > deadline:
                return run
            time.sleep(0.5)

    def wait_until(self, check, timeout: float, what: str, log: str = "server") -> None:
        """Poll `check()` until true; fail with the named process's log after `timeout`."""
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, f"no {what} after {timeout} s:\n{self.log(log)}"
            time.sleep(0.5)

    def log(self, name: str) -> str:
        return tail(self.logs / f"{name}.log")

    def stop_children(self) -> None:
        while self.children:
            stop(self.children.pop())


def server_env(home: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "RADAR_"))}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_PROFILES_PATH=str(home / "profiles.toml"),
        PREFECT_API_URL=url,
        PREFECT_SERVER_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{home / 'prefect.db'}",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_LOGGING_LEVEL="WARNING",
        # Workers and `serve` look for due runs every second instead of every 10-15 s.
        PREFECT_WORKER_QUERY_SECONDS="1",
        PREFECT_RUNNER_POLL_FREQUENCY="1",
        # The flows run from this checkout (prefect.yaml's pull step reads RADAR_HOME).
        RADAR_HOME=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory) -> Iterator[PrefectServer]:
    home = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    server = PrefectServer(url=url, env=server_env(home / "home", url), logs=home)
    (home / "home").mkdir()
    log = (home / "server.log").open("ab")
    # No scheduler service: the deployments keep their schedules, but no test can ever
    # start a scheduled run of the real catalog (which would go to the internet).
    server.process = subprocess.Popen(
        [
            *(PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)),
            *("--analytics-off", "--no-ui", "--no-scheduler", "--no-late-runs"),
        ],
        cwd=home,
        env=server.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.process.poll() is not None:
                pytest.fail(f"prefect server exited:\n{server.log('server')}")
            try:
                if httpx.get(f"{url}/health", timeout=2).json() is True:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"prefect server not healthy after 90 s:\n{server.log('server')}")
            time.sleep(0.3)
        yield server
    finally:
        # Workers and served runners first: one whose server is gone can hang on exit.
        server.stop_children()
        stop(server.process)


@pytest.fixture
def spawn(prefect_server) -> Iterator[PrefectServer]:
    """The server, with every process a test starts through it stopped at the test's end."""
    yield prefect_server
    prefect_server.stop_children()
