-- Every complete crawl of a tracked competitor source, across all spiders.
--
-- A crawl is an instant at which a source yielded at least one item. A crawl that yielded
-- nothing (blocked, broken page, API error) is unknown: it is not a crawl here, so it can
-- close nothing and does not make a week "crawled". Neither is a crawl the run ledger
-- (ops.source_runs) records as partial or failed: its items are real and stay in the
-- marts, but what it did not list may simply not have been read. Observations of a run the
-- ledger does not know (history from before it) count as a complete crawl.
with

observations as (

    select run_id, source, source_id, competitor_id, observed_at
    from {{ ref('stg_pricing__plan_observations') }}
    union all
    select run_id, source, source_id, competitor_id, observed_at
    from {{ ref('stg_greenhouse__job_postings') }}
    union all
    select run_id, source, source_id, competitor_id, observed_at
    from {{ ref('stg_lever__job_postings') }}
    union all
    select run_id, source, source_id, competitor_id, observed_at
    from {{ ref('stg_jobposting__job_postings') }}
    union all
    select run_id, source, source_id, competitor_id, observed_at
    from {{ ref('stg_feed__releases') }}
    union all
    select run_id, source, source_id, competitor_id, observed_at
    from {{ ref('stg_github_releases__releases') }}
    union all
    select run_id, source, source_id, competitor_id, observed_at
    from {{ ref('stg_pages__page_observations') }}

),

source_runs as (

    select run_id, source_id, is_complete
    from {{ ref('stg_ops__source_runs') }}

),

crawls as (

    select
        observations.source_id,
        observations.observed_at as crawled_at,
        -- constant per source; min() only picks the one value
        min(observations.source) as source,
        min(observations.competitor_id) as competitor_id,
        count(*) as items,
        -- reruns of an instant under several run_ids: one complete run is enough
        bool_or(coalesce(source_runs.is_complete, true)) as is_complete
    from observations
    left join source_runs
        on observations.run_id = source_runs.run_id
        and observations.source_id = source_runs.source_id
    where {{ tracked_sources_only('observations.source_id') }}
    group by observations.source_id, observations.observed_at

),

complete_crawls as (

    select * from crawls
    where is_complete

),

final as (

    select
        source_id || ':' || strftime(crawled_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ')
            as crawl_id,
        source_id,
        source,
        competitor_id,
        crawled_at,
        date_trunc('week', crawled_at at time zone 'UTC')::date as week_start,
        source in ('greenhouse', 'lever', 'jobposting') as is_job_board,
        crawled_at = min(crawled_at) over (partition by source_id) as is_first_crawl_of_source,
        items
    from complete_crawls

)

select * from final
