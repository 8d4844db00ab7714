-- The competitors of the enabled catalog (seeds), trimmed.
with

source as (

    select * from {{ ref('competitors') }}

),

final as (

    select
        trim(competitor_id) as competitor_id,
        trim(name) as name,
        nullif(trim(website), '') as website,
        nullif(trim(segment), '') as segment,
        upper(nullif(trim(hq_country), '')) as hq_country,
        nullif(trim(description), '') as description
    from source

)

select * from final
