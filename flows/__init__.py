"""Prefect flows, the `radar` CLI, loading, quality gates and publishing.

Tool defaults that must be in place before Prefect or dbt are imported live here:
nothing of ours phones home, and Prefect keeps its database inside the project.
"""

import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent

for _name, _value in {
    "PREFECT_HOME": str(_ROOT / ".prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The first flow in a process starts a temporary API; a busy 2-core machine can
    # exceed Prefect's default 20 s start-up timeout.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
}.items():
    os.environ.setdefault(_name, _value)
