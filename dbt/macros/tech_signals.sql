{#
  The adoption signals and how each becomes a weekly value (see fct_tech_adoption_weekly):
  - daily_sum: a daily count summed over complete weeks (all seven days reported);
  - point_in_time: a running total observed once per run; a week takes the latest value
    observed in or before it;
  - weekly: already counted per week (Monday, UTC).
  The order is the column order of fct_tech_adoption_weekly.
#}
{% macro tech_signals() %}
    {{ return([
        {'name': 'github_stars', 'kind': 'point_in_time'},
        {'name': 'github_forks', 'kind': 'point_in_time'},
        {'name': 'pypi_downloads', 'kind': 'daily_sum'},
        {'name': 'npm_downloads', 'kind': 'daily_sum'},
        {'name': 'stackoverflow_questions', 'kind': 'point_in_time'},
        {'name': 'hn_stories', 'kind': 'weekly'},
        {'name': 'wikipedia_pageviews', 'kind': 'daily_sum'},
    ]) }}
{% endmacro %}

{#- SQL list of the names of the signals of one kind, e.g. ('github_stars', 'github_forks'). -#}
{% macro tech_signals_of_kind(kind) -%}
    ({%- for s in tech_signals() if s.kind == kind -%}
        '{{ s.name }}'{{ ', ' if not loop.last }}
    {%- endfor -%})
{%- endmacro %}
