-- The sources of the enabled catalog (seeds): what is crawled, by which spider, for whom.
with

source as (

    select * from {{ ref('sources') }}

),

final as (

    select
        trim(source_id) as source_id,
        trim(spider) as spider,
        trim(subject_type) as subject_type,
        trim(subject_id) as subject_id,
        trim(url) as url,
        nullif(trim(selectors), '') as selectors,
        coalesce(enabled, false) as enabled,
        nullif(trim(notes), '') as notes,
        -- the PyPI package a pypistats source reports on (from its API path)
        case
            when spider = 'pypistats'
                then lower(regexp_extract(url, '/packages/([^/?#]+)', 1))
        end as pypi_package
    from source

)

select * from final
