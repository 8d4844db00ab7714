-- Releases from raw.feed, renamed and cast (shared shape: macros/stage_releases.sql).
{{ stage_releases(source('raw', 'feed')) }}
