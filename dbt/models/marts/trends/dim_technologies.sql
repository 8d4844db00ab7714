-- Technologies we track (the enabled catalog), with the PyPI package their downloads count.
with

technologies as (

    select * from {{ ref('stg_catalog__technologies') }}

),

sources as (

    select * from {{ ref('stg_catalog__sources') }}

),

packages as (

    select
        subject_id as technology_id,
        -- several pypistats sources for one technology: the enabled one, then alphabetical
        arg_min(pypi_package, (not enabled, pypi_package)) as pypi_package
    from sources
    where spider = 'pypistats'
      and subject_type = 'technology'
      and pypi_package is not null
    group by subject_id

),

final as (

    select
        technologies.technology_id::varchar as technology_id,
        technologies.name::varchar as name,
        technologies.category::varchar as category,
        technologies.aliases::varchar[] as aliases,
        technologies.homepage::varchar as homepage,
        packages.pypi_package::varchar as pypi_package,
        technologies.mention_pattern::varchar as mention_pattern,
        technologies.benchmark::boolean as benchmark
    from technologies
    left join packages using (technology_id)

)

select * from final
