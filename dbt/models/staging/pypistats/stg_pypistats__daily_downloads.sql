-- One row per package, category, day and run, as pypistats.org reported it; renamed and cast.
with

source as (

    select * from {{ source('raw', 'pypistats') }}

),

renamed as (

    select
        run_id,
        source,
        source_id,
        observed_at,
        url,
        technology_id,
        lower(package) as package,
        date as download_date,
        downloads,
        coalesce(category, 'unknown') as category,
        _landing_file as landing_file,
        _loaded_at as loaded_at

    from source

),

final as (

    select
        run_id || ':' || technology_id || ':' || category || ':' || strftime(download_date, '%Y-%m-%d')
            as daily_download_observation_id,
        *
    from renamed
    -- one value per package, category and day within a run (a repeated line is a duplicate)
    qualify row_number() over (
        partition by run_id, technology_id, category, download_date order by downloads desc
    ) = 1

)

select * from final
