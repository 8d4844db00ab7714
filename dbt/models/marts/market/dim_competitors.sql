-- Competitors we track (the enabled catalog).
with

competitors as (

    select * from {{ ref('stg_catalog__competitors') }}

),

final as (

    select
        competitor_id::varchar as competitor_id,
        name::varchar as name,
        website::varchar as website,
        segment::varchar as segment,
        hq_country::varchar as hq_country,
        description::varchar as description
    from competitors

)

select * from final
