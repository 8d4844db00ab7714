-- One row per npm package, day and run, as api.npmjs.org reported it; renamed and cast.
with

source as (

    select * from {{ source('raw', 'npm_downloads') }}

),

renamed as (

    select
        run_id,
        source,
        source_id,
        observed_at,
        url,
        technology_id,
        -- npm package names are lower case; scoped ones keep their @scope/
        lower(trim(package)) as package,
        date as download_date,
        downloads,
        _landing_file as landing_file,
        _loaded_at as loaded_at
    from source

),

final as (

    select
        run_id || ':' || technology_id || ':' || package || ':'
            || strftime(download_date, '%Y-%m-%d') as daily_download_observation_id,
        *
    from renamed
    -- one value per package and day within a run (overlapping range windows repeat days)
    qualify row_number() over (
        partition by run_id, technology_id, package, download_date
        order by downloads desc nulls last
    ) = 1

)

select * from final
