-- Every crawl of a tracked competitor source, across all spiders.
--
-- A crawl is an instant at which a source yielded at least one item. A crawl that yielded
-- nothing (blocked, broken page, API error) is unknown: it is not a crawl here, so it can
-- close nothing and does not make a week "crawled".
with

observations as (

    select source, source_id, competitor_id, observed_at
    from {{ ref('stg_pricing__plan_observations') }}
    union all
    select source, source_id, competitor_id, observed_at
    from {{ ref('stg_greenhouse__job_postings') }}
    union all
    select source, source_id, competitor_id, observed_at
    from {{ ref('stg_lever__job_postings') }}
    union all
    select source, source_id, competitor_id, observed_at
    from {{ ref('stg_jobposting__job_postings') }}
    union all
    select source, source_id, competitor_id, observed_at
    from {{ ref('stg_feed__releases') }}
    union all
    select source, source_id, competitor_id, observed_at
    from {{ ref('stg_github_releases__releases') }}
    union all
    select source, source_id, competitor_id, observed_at
    from {{ ref('stg_pages__page_observations') }}

),

crawls as (

    select
        source_id,
        observed_at as crawled_at,
        -- constant per source; min() only picks the one value
        min(source) as source,
        min(competitor_id) as competitor_id,
        count(*) as items
    from observations
    where {{ tracked_sources_only() }}
    group by source_id, observed_at

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
    from crawls

)

select * from final
