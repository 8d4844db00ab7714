{#
  Staging shared by the two release sources (feed, github_releases), which land the same
  ReleaseItem columns: rename and cast only, one row per run, source and release id.
  Used as the whole body of a staging model: `{{ stage_releases(source('raw', 'feed')) }}`.
#}
{% macro stage_releases(relation) %}
with

source as (

    select * from {{ observations(relation) }}

),

renamed as (

    select
        run_id,
        source,
        source_id,
        observed_at,
        url,
        competitor_id,
        trim(release_id) as release_id,
        trim(title) as title,
        nullif(trim(version), '') as version,
        nullif(trim(tag), '') as tag,
        published_at,
        summary,
        link,
        prerelease,
        _landing_file as landing_file,
        _loaded_at as loaded_at
    from source

),

final as (

    select
        run_id || ':' || source_id || ':' || release_id as release_observation_id,
        *
    from renamed
    -- a feed repeating an entry in one crawl is one observation
    qualify row_number() over (
        partition by run_id, source_id, release_id order by published_at desc, title
    ) = 1

)

select * from final
{% endmacro %}
