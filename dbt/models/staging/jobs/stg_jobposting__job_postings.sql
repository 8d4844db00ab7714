-- Job postings from raw.jobposting, renamed and cast (shared shape: macros/stage_job_postings.sql).
{{ stage_job_postings(source('raw', 'jobposting')) }}
