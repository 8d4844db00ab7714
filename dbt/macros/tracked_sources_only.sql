{#
  Marts describe the catalog being tracked. Observations of sources that are not in it
  (another catalog's runs in the same warehouse, a source since deleted) stay in raw but
  do not reach the marts. Used in a where clause: `where {{ tracked_sources_only() }}`.
#}
{% macro tracked_sources_only(column='source_id') %}
    {{ column }} in (select source_id from {{ ref('stg_catalog__sources') }})
{% endmacro %}
