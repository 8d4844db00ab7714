-- One row per Stack Overflow tag source and run: the tag's question count when observed.
with

source as (

    select * from {{ observations(source('raw', 'stackexchange_tags')) }}

),

renamed as (

    select
        run_id,
        source,
        source_id,
        observed_at,
        url,
        technology_id,
        lower(trim(tag)) as tag,
        question_count,
        has_synonyms,
        _landing_file as landing_file,
        _loaded_at as loaded_at
    from source

),

final as (

    select
        run_id || ':' || source_id || ':' || tag as tag_observation_id,
        *
    from renamed
    qualify row_number() over (
        partition by run_id, source_id, tag order by question_count desc nulls last
    ) = 1

)

select * from final
