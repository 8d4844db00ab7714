-- Technologies that competitors' job postings mention, per competitor and crawled week.
with

weeks as (

    select
        competitor_id,
        week_start,
        last_job_crawled_at as crawled_at
    from {{ ref('int_competitor_weeks_crawled') }}
    where last_job_crawled_at is not null

),

mentions as (

    select * from {{ ref('int_job_postings_tech_matched') }}

),

week_mentions as (

    select
        weeks.competitor_id,
        weeks.week_start,
        mentions.technology_id,
        mentions.first_seen_at <= weeks.crawled_at
        and coalesce(mentions.closed_at > weeks.crawled_at, true) as is_open_at_crawl,
        date_trunc('week', mentions.first_seen_at at time zone 'UTC')::date
        = weeks.week_start as is_new
    from weeks
    inner join mentions on weeks.competitor_id = mentions.competitor_id

),

counts as (

    select
        competitor_id,
        technology_id,
        week_start,
        count(*) filter (where is_open_at_crawl) as open_postings,
        count(*) filter (where is_new) as new_postings
    from week_mentions
    group by competitor_id, technology_id, week_start

),

final as (

    select
        (
            competitor_id || ':' || technology_id || ':' || strftime(week_start, '%Y-%m-%d')
        )::varchar as job_tech_mention_id,
        competitor_id::varchar as competitor_id,
        technology_id::varchar as technology_id,
        week_start::date as week_start,
        open_postings::integer as open_postings,
        new_postings::integer as new_postings
    from counts
    where open_postings + new_postings > 0

)

select * from final
