-- The weight of each adoption signal in the index (seeds/signal_weights.csv).
with

source as (

    select * from {{ ref('signal_weights') }}

),

final as (

    select
        lower(trim(signal)) as signal,
        coalesce(weight, 0)::double as weight,
        nullif(trim(description), '') as description
    from source

)

select * from final
