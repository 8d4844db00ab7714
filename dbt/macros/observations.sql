{#
  Every crawl's rows of a raw table of a kind observed as a whole each time (a pricing
  page, a job board, a feed, a repository's counters): the rows a crawl loaded, and for a
  crawl whose content was unchanged, the rows of the earlier run that hold it, stamped
  with that crawl's run and time. The pipeline loads unchanged content once (flows.load)
  and the run ledger records, per crawl, which run's rows hold its content
  (ops.source_runs.content_run_id): so every crawl is still an observation here, as if its
  rows had been loaded again. Used as a staging model's source:
  `select * from {{ observations(source('raw', 'pricing')) }}`.
#}
{% macro observations(relation) %}
(
    select * from {{ relation }}
    union all by name
    select held.* replace (crawl.run_id as run_id, crawl.observed_at as observed_at)
    from {{ relation }} as held
    inner join {{ source('ops', 'source_runs') }} as crawl
        on crawl.content_run_id = held.run_id
        and crawl.source_id = held.source_id
        and crawl.run_id <> held.run_id
)
{% endmacro %}
