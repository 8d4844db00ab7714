-- Price intervals per competitor, plan and billing period, derived from the whole raw
-- history (see the model description for why this is not a dbt snapshot).
with

sequenced as (

    select * from {{ ref('int_plan_observations_sequenced') }}

),

intervals as (

    select
        competitor_id,
        plan_key,
        billing_period,
        interval_number,
        min(observed_at) as valid_from,
        max(observed_at) as last_observed_at,
        count(*) as observations,
        -- descriptive attributes: the latest observation of the interval
        arg_max(plan_name, observed_at) as plan_name,
        arg_max(unit, observed_at) as unit,
        arg_max(price, observed_at) as price,
        arg_max(currency, observed_at) as currency,
        arg_max(is_custom, observed_at) as is_custom,
        arg_max(availability, observed_at) as availability,
        arg_max(sku, observed_at) as sku,
        arg_max(features, observed_at) as features,
        arg_max(method, observed_at) as method,
        arg_max(url, observed_at) as url,
        arg_max(is_absent_after, observed_at) as ends_with_absence,
        arg_max(next_crawled_at, observed_at) as absent_from
    from sequenced
    group by competitor_id, plan_key, billing_period, interval_number

),

closed as (

    select
        *,
        case
            -- removed: closed at the first crawl of its source that no longer showed it
            when ends_with_absence then absent_from
            -- changed: closed where the next interval starts
            else lead(valid_from) over (
                partition by competitor_id, plan_key, billing_period order by valid_from
            )
        end as valid_to
    from intervals

),

final as (

    select
        (
            competitor_id || ':' || plan_key || ':' || billing_period || ':'
            || strftime(valid_from at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ')
        )::varchar as plan_price_id,
        competitor_id::varchar as competitor_id,
        plan_key::varchar as plan_key,
        plan_name::varchar as plan_name,
        billing_period::varchar as billing_period,
        unit::varchar as unit,
        (case when is_custom then null else price end)::decimal(18, 2) as price,
        currency::varchar as currency,
        is_custom::boolean as is_custom,
        availability::varchar as availability,
        sku::varchar as sku,
        features::varchar[] as features,
        method::varchar as method,
        url::varchar as url,
        valid_from::timestamptz as valid_from,
        valid_to::timestamptz as valid_to,
        (valid_to is null)::boolean as is_current,
        observations::integer as observations
    from closed

)

select * from final
