-- One row per run and source crawled, from the run ledger (ops.source_runs); renamed only.
--
-- An old warehouse may not have the ledger table yet: then no crawl is recorded and this
-- model is empty, so every observation counts as from a complete crawl (as before the ledger).
{% set source_runs = source('ops', 'source_runs') %}
{% set ledger = adapter.get_relation(
    database=source_runs.database,
    schema=source_runs.schema,
    identifier=source_runs.identifier,
) if execute else none %}

with

source as (

{% if ledger is not none %}
    select * from {{ source_runs }}
{% else %}
    select
        null::varchar as run_id,
        null::varchar as source_id,
        null::varchar as source_kind,
        null::varchar as subject_type,
        null::varchar as subject_id,
        null::varchar as status,
        null::timestamptz as started_at,
        null::timestamptz as finished_at,
        null::double as duration_seconds,
        null::integer as attempts,
        null::integer as requests,
        null::json as responses,
        null::integer as items,
        null::integer as parse_problems,
        null::integer as robots_refused,
        null::integer as retries,
        null::timestamptz as observed_at,
        null::varchar as error
    where false
{% endif %}

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
        error
    from source

),

final as (

    select * from renamed

)

select * from final
