-- Real changes of watched pages: an observation whose fingerprint differs from the previous
-- observation of the same page (source_id).
with

observations as (

    select *
    from {{ ref('stg_pages__page_observations') }}
    where {{ tracked_sources_only() }}
    -- one observation per page and instant: the last loaded wins
    qualify row_number() over (
        partition by source_id, observed_at order by loaded_at desc, run_id desc
    ) = 1

),

compared as (

    select
        *,
        lag(fingerprint) over page_history as previous_fingerprint,
        lag(text) over page_history as previous_text,
        lag(chars) over page_history as previous_chars
    from observations
    window page_history as (partition by source_id order by observed_at)

),

final as (

    select
        (
            source_id || ':' || strftime(observed_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ')
        )::varchar as page_change_id,
        competitor_id::varchar as competitor_id,
        source_id::varchar as source_id,
        url::varchar as url,
        title::varchar as title,
        observed_at::timestamptz as changed_at,
        date_trunc('week', observed_at at time zone 'UTC')::date as week_start,
        previous_fingerprint::varchar as previous_fingerprint,
        fingerprint::varchar as fingerprint,
        previous_text::varchar as previous_text,
        text::varchar as text,
        previous_chars::integer as chars_before,
        chars::integer as chars_after
    from compared
    -- the first observation of a page is not a change
    where previous_fingerprint is not null
      and fingerprint <> previous_fingerprint

)

select * from final
