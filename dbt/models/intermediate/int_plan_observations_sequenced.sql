-- Each plan observation with its neighbours in time, ready to be cut into price intervals.
--
-- A plan series is (competitor_id, plan_key, billing_period). For every observation we find
-- the next observation of the same series and the next complete crawl of the same source;
-- when the source was crawled again before the plan showed up again, the plan was absent
-- from that crawl and its interval closes there.
with

observations as (

    select *
    from {{ ref('stg_pricing__plan_observations') }}
    where {{ tracked_sources_only() }}

),

-- one observation per series and instant: a rerun loaded under another run_id with the same
-- observed_at must not double-count; the last loaded wins
deduplicated as (

    select *
    from observations
    qualify row_number() over (
        partition by competitor_id, plan_key, billing_period, observed_at
        order by loaded_at desc, run_id desc
    ) = 1

),

-- the complete crawls of the pricing sources (see int_competitor_crawls): a crawl that
-- yielded nothing (blocked, broken page) is unknown, not "every plan removed", and so is a
-- crawl the run ledger records as partial or failed (its plans are kept, its gaps are not
-- removals)
crawls as (

    select source_id, crawled_at
    from {{ ref('int_competitor_crawls') }}
    where source = 'pricing'

),

with_neighbours as (

    select
        *,
        case when is_custom then null else price end as effective_price,
        lead(observed_at) over series as next_observed_at,
        lag(observed_at) over series as previous_observed_at
    from deduplicated
    window series as (
        partition by competitor_id, plan_key, billing_period order by observed_at
    )

),

with_next_crawl as (

    select
        with_neighbours.*,
        (
            select min(crawls.crawled_at)
            from crawls
            where crawls.source_id = with_neighbours.source_id
              and crawls.crawled_at > with_neighbours.observed_at
        ) as next_crawled_at
    from with_neighbours

),

flagged as (

    select
        *,
        -- the source was crawled again before (or without) this plan showing up again
        coalesce(
            next_crawled_at is not null
            and (next_observed_at is null or next_crawled_at < next_observed_at),
            false
        ) as is_absent_after
    from with_next_crawl

),

with_changes as (

    select
        *,
        -- a new price interval starts at a series' first observation, after an absence,
        -- or when the price terms change
        case
            when previous_observed_at is null then true
            when lag(is_absent_after) over series then true
            when lag(effective_price) over series is distinct from effective_price then true
            when lag(currency) over series is distinct from currency then true
            when lag(is_custom) over series is distinct from is_custom then true
            when lag(unit) over series is distinct from unit then true
            else false
        end as is_interval_start
    from flagged
    window series as (
        partition by competitor_id, plan_key, billing_period order by observed_at
    )

),

final as (

    select
        competitor_id || ':' || plan_key || ':' || billing_period || ':'
            || strftime(observed_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ')
            as plan_observation_sequence_id,
        plan_observation_id,
        run_id,
        source_id,
        observed_at,
        url,
        competitor_id,
        plan_key,
        plan_name,
        billing_period,
        effective_price as price,
        currency,
        unit,
        is_custom,
        availability,
        sku,
        features,
        method,
        next_observed_at,
        next_crawled_at,
        is_absent_after,
        is_interval_start,
        sum(case when is_interval_start then 1 else 0 end) over (
            partition by competitor_id, plan_key, billing_period
            order by observed_at
            rows between unbounded preceding and current row
        ) as interval_number
    from with_changes

)

select * from final
