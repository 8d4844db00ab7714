-- One row per plan, billing period and run, as the pricing spider saw it; renamed and cast.
with

source as (

    select * from {{ observations(source('raw', 'pricing')) }}

),

renamed as (

    select
        run_id,
        source,
        source_id,
        observed_at,
        url,
        competitor_id,
        trim(name) as plan_name,
        -- slug of the plan name: the stable key of a plan across runs
        trim(regexp_replace(lower(trim(name)), '[^a-z0-9]+', '-', 'g'), '-') as plan_key,
        coalesce(lower(billing_period), 'unknown') as billing_period,
        price,
        upper(currency) as currency,
        unit,
        coalesce(is_custom, false) as is_custom,
        availability,
        sku,
        coalesce(features, []::varchar[]) as features,
        method,
        price_text,
        _landing_file as landing_file,
        _loaded_at as loaded_at

    from source

),

final as (

    select
        run_id || ':' || competitor_id || ':' || plan_key || ':' || billing_period
            as plan_observation_id,
        *
    from renamed
    -- A page can describe the same plan twice (e.g. JSON-LD and the visible cards); keep one,
    -- preferring structured data, so the grain is one row per plan and period per run.
    qualify row_number() over (
        partition by run_id, competitor_id, plan_key, billing_period
        order by
            case method
                when 'json-ld' then 1
                when 'microdata' then 2
                when 'rdfa' then 3
                when 'opengraph' then 4
                when 'selectors' then 5
                when 'hydration' then 6
                when 'text' then 7
                when 'table' then 8
                else 9
            end,
            price nulls last
    ) = 1

)

select * from final
