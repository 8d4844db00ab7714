-- One row per Hacker News query source, week and run: stories created that week (nbHits).
with

source as (

    select * from {{ source('raw', 'hn_mentions') }}

),

renamed as (

    select
        run_id,
        source,
        source_id,
        observed_at,
        url,
        technology_id,
        "query" as search_query,
        week_start,
        stories,
        window_start,
        window_end,
        _landing_file as landing_file,
        _loaded_at as loaded_at
    from source

),

final as (

    select
        run_id || ':' || source_id || ':' || strftime(week_start, '%Y-%m-%d')
            as weekly_stories_observation_id,
        *
    from renamed
    qualify row_number() over (
        partition by run_id, source_id, week_start order by stories desc nulls last
    ) = 1

)

select * from final
