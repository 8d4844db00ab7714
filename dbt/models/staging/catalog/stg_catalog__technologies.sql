-- The technologies of the enabled catalog (seeds); aliases split into a list.
with

source as (

    select * from {{ ref('technologies') }}

),

final as (

    select
        trim(technology_id) as technology_id,
        trim(name) as name,
        nullif(trim(category), '') as category,
        list_filter(
            list_transform(string_split(coalesce(aliases, ''), '|'), lambda a: trim(a)),
            lambda a: a <> ''
        )::varchar[] as aliases,
        nullif(trim(homepage), '') as homepage,
        -- an RE2 regex (case-sensitive) replacing the default name/alias matching, or null
        nullif(mention_pattern, '') as mention_pattern,
        -- member of the benchmark set the adoption signals are divided by (empty: not)
        coalesce(benchmark, false) as benchmark
    from source

)

select * from final
