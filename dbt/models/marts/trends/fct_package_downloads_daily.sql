-- Daily downloads per technology: the latest observation of each day wins, because
-- pypistats reports recent days before they are complete.
with

downloads as (

    select *
    from {{ ref('stg_pypistats__daily_downloads') }}
    where {{ tracked_sources_only() }}

),

latest as (

    select *
    from downloads
    qualify row_number() over (
        partition by technology_id, download_date
        order by
            -- mirrors=false is what the catalog asks for; other categories only as fallback
            (category = 'without_mirrors') desc,
            observed_at desc,
            loaded_at desc,
            run_id desc
    ) = 1

),

final as (

    select
        (technology_id || ':' || strftime(download_date, '%Y-%m-%d'))::varchar
            as package_download_id,
        technology_id::varchar as technology_id,
        package::varchar as package,
        download_date::date as download_date,
        downloads::bigint as downloads,
        observed_at::timestamptz as observed_at,
        run_id::varchar as run_id
    from latest

)

select * from final
