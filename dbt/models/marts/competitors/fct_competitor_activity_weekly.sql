-- What each competitor changed, per week in which any of its sources was crawled.
with

weeks as (

    select competitor_id, week_start
    from {{ ref('int_competitor_weeks_crawled') }}

),

price_changes as (

    select
        competitor_id,
        week_start,
        count(*) filter (
            where change_kind in ('increase', 'decrease', 'became_custom')
        ) as price_changes,
        count(*) filter (where change_kind = 'plan_added') as plans_added,
        count(*) filter (where change_kind = 'plan_removed') as plans_removed
    from {{ ref('fct_price_changes') }}
    group by competitor_id, week_start

),

postings as (

    select * from {{ ref('fct_job_postings') }}

),

-- opened_at is the mart's one definition of an opening (null when found at the first crawl)
postings_opened as (

    select
        competitor_id,
        date_trunc('week', opened_at at time zone 'UTC')::date as week_start,
        count(*) as postings_opened
    from postings
    where opened_at is not null
    group by all

),

postings_closed as (

    select
        competitor_id,
        date_trunc('week', closed_at at time zone 'UTC')::date as week_start,
        count(*) as postings_closed
    from postings
    where closed_at is not null
    group by all

),

releases as (

    select competitor_id, week_start, count(*) as releases
    from {{ ref('fct_releases') }}
    group by all

),

page_changes as (

    select competitor_id, week_start, count(*) as page_changes
    from {{ ref('fct_page_changes') }}
    group by all

),

joined as (

    select
        weeks.competitor_id,
        weeks.week_start,
        coalesce(price_changes.price_changes, 0) as price_changes,
        coalesce(price_changes.plans_added, 0) as plans_added,
        coalesce(price_changes.plans_removed, 0) as plans_removed,
        coalesce(postings_opened.postings_opened, 0) as postings_opened,
        coalesce(postings_closed.postings_closed, 0) as postings_closed,
        coalesce(releases.releases, 0) as releases,
        coalesce(page_changes.page_changes, 0) as page_changes
    from weeks
    left join price_changes using (competitor_id, week_start)
    left join postings_opened using (competitor_id, week_start)
    left join postings_closed using (competitor_id, week_start)
    left join releases using (competitor_id, week_start)
    left join page_changes using (competitor_id, week_start)

),

final as (

    select
        (competitor_id || ':' || strftime(week_start, '%Y-%m-%d'))::varchar as activity_week_id,
        competitor_id::varchar as competitor_id,
        week_start::date as week_start,
        price_changes::integer as price_changes,
        plans_added::integer as plans_added,
        plans_removed::integer as plans_removed,
        postings_opened::integer as postings_opened,
        postings_closed::integer as postings_closed,
        releases::integer as releases,
        page_changes::integer as page_changes,
        (
            price_changes + plans_added + plans_removed + postings_opened + postings_closed
            + releases + page_changes
        )::integer as total_changes
    from joined

)

select * from final
