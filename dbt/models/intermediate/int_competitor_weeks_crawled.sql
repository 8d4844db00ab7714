-- The weeks (Monday, UTC) in which each competitor had at least one source crawled, with the
-- instant of its last crawl that week: "the week's crawl" of the weekly marts.
with

crawls as (

    select * from {{ ref('int_competitor_crawls') }}

),

weeks as (

    select
        competitor_id,
        week_start,
        max(crawled_at) as last_crawled_at,
        max(crawled_at) filter (where is_job_board) as last_job_crawled_at,
        count(*) as crawls
    from crawls
    group by competitor_id, week_start

),

final as (

    select
        competitor_id || ':' || strftime(week_start, '%Y-%m-%d') as competitor_week_id,
        *
    from weeks

)

select * from final
