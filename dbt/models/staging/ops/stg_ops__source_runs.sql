-- One row per run and source crawled, from the run ledger (ops.source_runs); renamed only.
--
-- The table always exists: flows create the ledger before any dbt command (flows/dbt.py).

with

source as (

    select * from {{ source('ops', 'source_runs') }}

),

renamed as (

    select
        run_id || ':' || source_id as source_run_id,
        run_id,
        source_id,
        source_kind,
        subject_type,
        subject_id,
        lower(status) as status,
        lower(status) = 'ok' as is_complete,
        started_at,
        finished_at,
        duration_seconds,
        attempts,
        requests,
        responses,
        items,
        parse_problems,
        robots_refused,
        retries,
        observed_at,
        error,
        changed,
        rows_loaded,
        content_run_id,
        etag,
        last_modified
    from source

),

final as (

    select * from renamed

)

select * from final
