-- Sightings of job postings from the three job-board sources in one shape: one row per
-- posting (competitor, source, job id) and crawl instant.
with

unioned as (

    select * from {{ ref('stg_greenhouse__job_postings') }}
    union all by name
    select * from {{ ref('stg_lever__job_postings') }}
    union all by name
    select * from {{ ref('stg_jobposting__job_postings') }}

),

-- a rerun loaded under another run_id with the same observed_at must not double-count;
-- the last loaded wins
deduplicated as (

    select *
    from unioned
    where {{ tracked_sources_only() }}
    qualify row_number() over (
        partition by competitor_id, source, job_id, observed_at
        order by loaded_at desc, run_id desc, source_id
    ) = 1

),

final as (

    select
        competitor_id || ':' || source || ':' || job_id as job_posting_id,
        competitor_id || ':' || source || ':' || job_id || ':'
            || strftime(observed_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ')
            as job_sighting_id,
        *
    from deduplicated

)

select * from final
