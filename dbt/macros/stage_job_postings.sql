{#
  Staging shared by the three job-board sources (greenhouse, lever, jobposting), which land
  the same JobItem columns: rename and cast only, one row per run, source and job id.
  Used as the whole body of a staging model: `{{ stage_job_postings(source('raw', 'lever')) }}`.
#}
{% macro stage_job_postings(relation) %}
with

source as (

    select * from {{ observations(relation) }}

),

renamed as (

    select
        run_id,
        source,
        source_id,
        observed_at,
        url,
        competitor_id,
        trim(job_id) as job_id,
        trim(title) as title,
        nullif(trim(department), '') as department,
        nullif(trim(team), '') as team,
        nullif(trim(location), '') as location,
        coalesce(lower(nullif(trim(workplace_type), '')), 'unknown') as workplace_type,
        coalesce(lower(nullif(trim(employment_type), '')), 'unknown') as employment_type,
        salary_min,
        salary_max,
        upper(nullif(trim(salary_currency), '')) as salary_currency,
        lower(nullif(trim(salary_period), '')) as salary_period,
        posted_at,
        updated_at,
        description,
        apply_url,
        nullif(trim(hiring_organization), '') as hiring_organization,
        _landing_file as landing_file,
        _loaded_at as loaded_at
    from source

),

final as (

    select
        run_id || ':' || source_id || ':' || job_id as job_observation_id,
        *
    from renamed
    -- a board listing the same posting twice in one crawl is one observation
    qualify row_number() over (
        partition by run_id, source_id, job_id order by updated_at desc nulls last, title
    ) = 1

)

select * from final
{% endmacro %}
