-- Competitors' releases from release-notes feeds and GitHub, one row per release.
with

releases as (

    select * from {{ ref('int_releases_unioned') }}

),

final as (

    select
        release_key::varchar as release_key,
        competitor_id::varchar as competitor_id,
        source::varchar as source,
        title::varchar as title,
        version::varchar as version,
        tag::varchar as tag,
        published_at::timestamptz as published_at,
        date_trunc('week', published_at at time zone 'UTC')::date as week_start,
        link::varchar as url,
        prerelease::boolean as prerelease,
        date_diff(
            'day',
            (lag(published_at) over cadence at time zone 'UTC')::date,
            (published_at at time zone 'UTC')::date
        )::integer as days_since_previous
    from releases
    window cadence as (partition by competitor_id order by published_at, release_key)

)

select * from final
