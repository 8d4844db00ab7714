-- Every adoption signal of every technology in long form: one value per technology, signal
-- and date. When several runs reported the same day (recent days of a download series are
-- reported before they are complete), the latest observation wins; a reported value wins over
-- an unavailable one.
with

observations as (

    select * from {{ ref('int_tech_signal_observations') }}

),

latest as (

    select *
    from observations
    qualify row_number() over (
        partition by technology_id, signal, signal_date
        order by value is null, observed_at desc, loaded_at desc, source_id
    ) = 1

),

final as (

    select
        (technology_id || ':' || signal || ':' || strftime(signal_date, '%Y-%m-%d'))::varchar
            as tech_signal_id,
        technology_id::varchar as technology_id,
        signal::varchar as signal,
        signal_date::date as signal_date,
        value::double as value,
        unavailable_reason::varchar as unavailable_reason,
        source_id::varchar as source_id,
        observed_at::timestamptz as observed_at
    from latest

)

select * from final
