-- One row per watched page and run: its normalised main text and fingerprint; renamed and cast.
with

source as (

    select * from {{ observations(source('raw', 'pages')) }}

),

renamed as (

    select
        run_id,
        source,
        source_id,
        observed_at,
        url,
        competitor_id,
        nullif(trim(title), '') as title,
        text,
        lower(fingerprint) as fingerprint,
        chars,
        _landing_file as landing_file,
        _loaded_at as loaded_at
    from source

),

final as (

    select
        run_id || ':' || source_id as page_observation_id,
        *
    from renamed
    -- one observation of a page per run (a redirect may have yielded it twice)
    qualify row_number() over (partition by run_id, source_id order by loaded_at desc, url) = 1

)

select * from final
