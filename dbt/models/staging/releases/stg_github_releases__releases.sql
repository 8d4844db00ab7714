-- Releases from raw.github_releases, renamed and cast (shared shape: macros/stage_releases.sql).
{{ stage_releases(source('raw', 'github_releases')) }}
