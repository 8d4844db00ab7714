-- One row per Wikipedia article, day and run: views by users, as the Wikimedia REST API reported.
with

source as (

    select * from {{ source('raw', 'wikipedia_pageviews') }}

),

renamed as (

    select
        run_id,
        source,
        source_id,
        observed_at,
        url,
        technology_id,
        trim(article) as article,
        date as view_date,
        views,
        _landing_file as landing_file,
        _loaded_at as loaded_at
    from source

),

final as (

    select
        run_id || ':' || source_id || ':' || strftime(view_date, '%Y-%m-%d')
            as daily_views_observation_id,
        *
    from renamed
    qualify row_number() over (
        partition by run_id, source_id, view_date order by views desc nulls last
    ) = 1

)

select * from final
