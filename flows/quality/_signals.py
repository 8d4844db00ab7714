"""What the adoption suites share: the signal names and a bound that rejects infinities."""

from __future__ import annotations

SIGNALS = (
    "github_stars",
    "github_forks",
    "pypi_downloads",
    "npm_downloads",
    "stackoverflow_questions",
    "hn_stories",
    "wikipedia_pageviews",
)
RINGS = ("adopt", "trial", "assess", "hold")

# A score is at least 0, so momentum (score / earlier score - 1) is at least -1; the upper
# bound only has to be finite: a ratio above a billion is a bug, and +inf fails it.
MOMENTUM_MAX = 1e9
