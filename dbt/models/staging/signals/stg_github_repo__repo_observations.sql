-- One row per GitHub repository source and run, as the REST API reported it; renamed and cast.
with

source as (

    select * from {{ observations(source('raw', 'github_repo')) }}

),

renamed as (

    select
        run_id,
        source,
        source_id,
        observed_at,
        url,
        technology_id,
        trim(repo) as repo,
        stars,
        forks,
        watchers,
        open_issues,
        pushed_at,
        archived,
        nullif(trim(license), '') as license,
        nullif(trim(default_branch), '') as default_branch,
        last_release_at,
        releases_last_12m,
        nullif(trim(homepage), '') as homepage,
        _landing_file as landing_file,
        _loaded_at as loaded_at
    from source

),

final as (

    select
        run_id || ':' || source_id as repo_observation_id,
        *
    from renamed
    -- one observation per source within a run (a repeated line is a duplicate)
    qualify row_number() over (
        partition by run_id, source_id order by loaded_at desc, stars desc nulls last
    ) = 1

)

select * from final
