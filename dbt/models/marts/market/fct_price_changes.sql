-- Price changes of competitors' plans, read off the price intervals of fct_plan_prices
-- (see the model description for what counts as a change).
with

intervals as (

    select * from {{ ref('fct_plan_prices') }}

),

-- the competitor's first pricing crawl: plans already there were not "added"
first_crawls as (

    select
        competitor_id,
        min(crawled_at) as first_crawled_at
    from {{ ref('int_competitor_crawls') }}
    where source = 'pricing'
    group by competitor_id

),

sequenced as (

    select
        intervals.*,
        first_crawls.first_crawled_at,
        lag(intervals.price) over series as previous_price,
        lag(intervals.currency) over series as previous_currency,
        lag(intervals.is_custom) over series as previous_is_custom,
        lag(intervals.valid_from) over series is null as is_first_interval,
        lead(intervals.valid_from) over series is null as is_last_interval
    from intervals
    left join first_crawls on intervals.competitor_id = first_crawls.competitor_id
    window series as (
        partition by intervals.competitor_id, intervals.plan_key, intervals.billing_period
        order by intervals.valid_from
    )

),

-- a change at the start of an interval, compared with the interval before it
starts as (

    select
        competitor_id,
        plan_key,
        plan_name,
        billing_period,
        case
            when is_first_interval
                then case when valid_from > first_crawled_at then 'plan_added' end
            when is_custom and not previous_is_custom then 'became_custom'
            when price is not null and previous_price is null then 'price_published'
            -- another currency is not comparable: neither a rise nor a cut
            when currency is distinct from previous_currency then null
            when price > previous_price then 'increase'
            when price < previous_price then 'decrease'
        end as change_kind,
        case when not is_first_interval then previous_price end as old_price,
        price as new_price,
        currency,
        valid_from as changed_at
    from sequenced

),

-- the last interval of a plan closed by a crawl that no longer showed it
removals as (

    select
        competitor_id,
        plan_key,
        plan_name,
        billing_period,
        'plan_removed' as change_kind,
        price as old_price,
        null::decimal(18, 2) as new_price,
        currency,
        valid_to as changed_at
    from sequenced
    where is_last_interval and valid_to is not null

),

changes as (

    select * from starts where change_kind is not null
    union all
    select * from removals

),

final as (

    select
        (
            competitor_id || ':' || plan_key || ':' || billing_period || ':'
            || strftime(changed_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ')
        )::varchar as price_change_id,
        competitor_id::varchar as competitor_id,
        plan_key::varchar as plan_key,
        plan_name::varchar as plan_name,
        billing_period::varchar as billing_period,
        change_kind::varchar as change_kind,
        old_price::decimal(18, 2) as old_price,
        new_price::decimal(18, 2) as new_price,
        (new_price - old_price)::decimal(18, 2) as change_abs,
        (
            case
                when old_price > 0
                    then round((new_price - old_price) / old_price * 100, 2)
            end
        )::double as change_pct,
        currency::varchar as currency,
        changed_at::timestamptz as changed_at,
        date_trunc('week', changed_at at time zone 'UTC')::date as week_start
    from changes

)

select * from final
