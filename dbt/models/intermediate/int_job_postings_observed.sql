-- One row per job posting over its whole observed life: first and last sighting, and when
-- it closed.
--
-- A posting closes at the first complete crawl of its source that came after its last
-- sighting and did not list it. Crawls are per source_id (see int_competitor_crawls): a crawl
-- that yielded nothing, or that the run ledger records as partial or failed, closes nothing,
-- and another source of the same competitor never closes it. A posting that disappears and
-- comes back is open again (one row per posting).
with

sightings as (

    select * from {{ ref('int_job_postings_unioned') }}

),

crawls as (

    select * from {{ ref('int_competitor_crawls') }}
    where is_job_board

),

spans as (

    select
        job_posting_id,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at,
        count(*) as observations,
        -- the latest posted_at the source gave (arg_max skips nulls)
        arg_max(posted_at, observed_at) as posted_at
    from sightings
    group by job_posting_id

),

-- descriptive attributes: as last seen
latest as (

    select *
    from sightings
    qualify row_number() over (partition by job_posting_id order by observed_at desc) = 1

),

posting_sources as (

    select distinct job_posting_id, source_id
    from sightings

),

closings as (

    select
        spans.job_posting_id,
        min(crawls.crawled_at) as closed_at
    from spans
    inner join posting_sources
        on spans.job_posting_id = posting_sources.job_posting_id
    inner join crawls
        on posting_sources.source_id = crawls.source_id
        and crawls.crawled_at > spans.last_seen_at
    group by spans.job_posting_id

),

first_crawls as (

    select source_id, crawled_at as first_crawled_at
    from crawls
    where is_first_crawl_of_source

),

-- listed no later than the first complete crawl of its source: already open when tracking
-- began, so its first sighting is a discovery, not a new posting. A sighting from a partial
-- crawl before it (or before any complete crawl) counts as seen at the start too.
discovered as (

    select distinct sightings.job_posting_id
    from sightings
    left join first_crawls on sightings.source_id = first_crawls.source_id
    where first_crawls.first_crawled_at is null
       or sightings.observed_at <= first_crawls.first_crawled_at

),

final as (

    select
        latest.job_posting_id,
        latest.competitor_id,
        latest.source,
        latest.source_id,
        latest.job_id,
        latest.title,
        latest.department,
        latest.hiring_organization,
        latest.team,
        latest.location,
        latest.workplace_type,
        latest.employment_type,
        latest.salary_min,
        latest.salary_max,
        latest.salary_currency,
        latest.salary_period,
        spans.posted_at,
        spans.first_seen_at,
        spans.last_seen_at,
        closings.closed_at,
        closings.closed_at is null as is_open,
        -- calendar days (UTC) from publication (or first sighting) to closing (or last sighting)
        greatest(
            date_diff(
                'day',
                (coalesce(spans.posted_at, spans.first_seen_at) at time zone 'UTC')::date,
                (coalesce(closings.closed_at, spans.last_seen_at) at time zone 'UTC')::date
            ),
            0
        ) as days_open,
        spans.observations,
        discovered.job_posting_id is not null as is_seen_at_first_crawl,
        coalesce(latest.apply_url, latest.url) as url,
        latest.description
    from latest
    inner join spans on latest.job_posting_id = spans.job_posting_id
    left join closings on latest.job_posting_id = closings.job_posting_id
    left join discovered on latest.job_posting_id = discovered.job_posting_id

)

select * from final
