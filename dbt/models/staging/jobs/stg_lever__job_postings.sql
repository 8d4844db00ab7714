-- Job postings from raw.lever, renamed and cast (shared shape: macros/stage_job_postings.sql).
{{ stage_job_postings(source('raw', 'lever')) }}
