-- Units of each currency per euro, ECB euro reference rates (seeds/exchange_rates.csv).
with

source as (

    select * from {{ ref('exchange_rates') }}

),

final as (

    select
        upper(trim(currency)) as currency,
        rate_per_eur::double as rate_per_eur,
        rate_date::date as rate_date
    from source

)

select * from final
