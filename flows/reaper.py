"""Stops what a `radar` command started once the command itself is gone.

A command killed with SIGKILL runs no clean-up of its own, and its children live on:
Prefect's temporary API server (a uvicorn process) above all, which would hold its port
and database forever. `radar run` and `radar demo` start this watcher beside them
(``python -m flows.reaper <pid>``, a session of its own): it notes the command's
descendants while the command lives and, when it is gone, sends them SIGTERM, then
SIGKILL to any still there after a few seconds. A process is only signalled if it is the
very one noted (same pid and start time), so a reused pid is left alone. Linux (/proc).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

Identity = tuple[int, str]  # pid, start time in clock ticks since boot


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, start time) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (name) "
    return int(fields[1]), fields[19]


def descendants(pid: int) -> set[Identity]:
    parents: dict[int, list[Identity]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (found := _stat(int(entry.name))):
            parents.setdefault(found[0], []).append((int(entry.name), found[1]))
    found: set[Identity] = set()
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child[0])
    return found


def _alive(identity: Identity) -> bool:
    found = _stat(identity[0])
    return found is not None and found[1] == identity[1]


def watch(pid: int, interval: float = 0.5, grace: float = 5.0) -> list[int]:
    """Wait for ``pid`` to end, then stop the descendants it left; their pids."""
    own = os.getpid()
    noted: set[Identity] = set()
    while _stat(pid) is not None:
        noted |= {child for child in descendants(pid) if child[0] != own}
        time.sleep(interval)
    left = [identity for identity in noted if _alive(identity)]
    for identity in left:
        os.kill(identity[0], signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(identity) for identity in left):
        time.sleep(0.1)
    for identity in left:
        if _alive(identity):
            os.kill(identity[0], signal.SIGKILL)
    return [identity[0] for identity in left]


def start_for_this_process() -> subprocess.Popen:
    """The watcher for the calling process, in a session of its own (a Ctrl+C or a kill
    of the command's process group must not take it along)."""
    return subprocess.Popen(
        [sys.executable, "-m", "flows.reaper", str(os.getpid())],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


if __name__ == "__main__":
    watch(int(sys.argv[1]))
