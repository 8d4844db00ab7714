-- Releases from release-notes feeds and GitHub in one shape: one row per release
-- (competitor, source, release id), with its attributes as last seen (titles get edited).
with

unioned as (

    select * from {{ ref('stg_feed__releases') }}
    union all by name
    select * from {{ ref('stg_github_releases__releases') }}

),

tracked as (

    select
        competitor_id || ':' || source || ':' || release_id as release_key,
        *
    from unioned
    where {{ tracked_sources_only() }}

),

latest as (

    select
        *,
        min(observed_at) over (partition by release_key) as first_seen_at
    from tracked
    qualify row_number() over (
        partition by release_key order by observed_at desc, loaded_at desc, run_id desc
    ) = 1

),

final as (

    select
        release_key,
        competitor_id,
        source,
        source_id,
        release_id,
        title,
        version,
        tag,
        published_at,
        summary,
        link,
        prerelease,
        first_seen_at,
        observed_at as last_seen_at
    from latest

)

select * from final
