"""What a killed `radar` command started is stopped by its watcher."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from flows.reaper import descendants

# A stand-in for `radar run`: it starts a long-lived child (as Prefect starts its
# temporary API server), its watcher, then waits to be killed.
COMMAND = """
import subprocess, sys, time
from flows.reaper import start_for_this_process
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
start_for_this_process()
print(child.pid, flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return subprocess.run(
        ["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True, check=False
    ).stdout.strip()[:1] not in ("Z", "")


def test_the_children_of_a_killed_command_are_stopped():
    command = subprocess.Popen([sys.executable, "-c", COMMAND], stdout=subprocess.PIPE, text=True)
    child = int(command.stdout.readline())
    time.sleep(3)  # the watcher (a Python process of its own) has started and noted the child
    assert child in {pid for pid, _ in descendants(command.pid)}
    os.kill(command.pid, signal.SIGKILL)
    command.wait()
    deadline = time.monotonic() + 15
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(child)
