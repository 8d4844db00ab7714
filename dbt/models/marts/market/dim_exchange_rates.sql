-- The rates that convert plan prices to one reporting currency: units of each currency per
-- euro, from the ECB's euro reference rates of one day (seeds/exchange_rates.csv). One day's
-- rates for all history: the comparison is of list prices, not of what a payment cost then.
with

rates as (

    select * from {{ ref('stg_catalog__exchange_rates') }}

),

final as (

    select
        currency::varchar as currency,
        rate_per_eur::double as rate_per_eur,
        rate_date::date as rate_date
    from rates

)

select * from final
