-- Hiring per competitor, crawled week and department: postings open at the week's crawl,
-- opened and closed that week.
with

weeks as (

    select
        competitor_id,
        week_start,
        last_job_crawled_at as crawled_at
    from {{ ref('int_competitor_weeks_crawled') }}
    where last_job_crawled_at is not null

),

postings as (

    select * from {{ ref('fct_job_postings') }}

),

week_postings as (

    select
        weeks.competitor_id,
        weeks.week_start,
        coalesce(postings.department, 'Unassigned') as department,
        postings.first_seen_at <= weeks.crawled_at
        and coalesce(postings.closed_at > weeks.crawled_at, true) as is_open_at_crawl,
        coalesce(
            date_trunc('week', postings.opened_at at time zone 'UTC')::date = weeks.week_start,
            false
        ) as is_opened,
        coalesce(
            date_trunc('week', postings.closed_at at time zone 'UTC')::date = weeks.week_start,
            false
        ) as is_closed
    from weeks
    inner join postings on weeks.competitor_id = postings.competitor_id

),

counts as (

    select
        competitor_id,
        week_start,
        department,
        count(*) filter (where is_open_at_crawl) as open_postings,
        count(*) filter (where is_opened) as opened,
        count(*) filter (where is_closed) as closed
    from week_postings
    group by competitor_id, week_start, department

),

final as (

    select
        (competitor_id || ':' || strftime(week_start, '%Y-%m-%d') || ':' || department)::varchar
            as hiring_week_id,
        competitor_id::varchar as competitor_id,
        week_start::date as week_start,
        department::varchar as department,
        open_postings::integer as open_postings,
        opened::integer as opened,
        closed::integer as closed
    from counts
    -- a department with nothing open, opened or closed that week has no row
    where open_postings + opened + closed > 0

)

select * from final
