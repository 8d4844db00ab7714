-- Which catalog technologies each job posting mentions (title and description, as last seen).
--
-- A technology with a mention_pattern is matched with that RE2 regex, case-sensitively
-- (ambiguous names such as Go or R: "Go to market" must not count). Otherwise its name and
-- every alias match case-insensitively when bounded by non-word characters, with regex
-- metacharacters escaped, so C++, Node.js and .NET work and "Polars" does not match "polarsx".
with

technologies as (

    select * from {{ ref('stg_catalog__technologies') }}

),

terms as (

    select
        technology_id,
        unnest(list_distinct(list_prepend(name, aliases))) as term
    from technologies
    where mention_pattern is null

),

default_patterns as (

    select
        technology_id,
        '(?i)(^|[^A-Za-z0-9_])(?:'
            || string_agg(
                regexp_replace(term, '([.^$|?*+()\[\]{}\\])', '\\\1', 'g'),
                '|' order by length(term) desc, term
            )
            || ')($|[^A-Za-z0-9_])' as pattern
    from terms
    where trim(term) <> ''
    group by technology_id

),

patterns as (

    select technology_id, mention_pattern as pattern
    from technologies
    where mention_pattern is not null
    union all
    select technology_id, pattern
    from default_patterns

),

postings as (

    select
        *,
        coalesce(title, '') || chr(10) || coalesce(description, '') as searched_text
    from {{ ref('int_job_postings_observed') }}

),

matched as (

    select
        postings.job_posting_id,
        patterns.technology_id,
        postings.competitor_id,
        postings.first_seen_at,
        postings.closed_at,
        postings.is_open
    from postings
    inner join patterns
        on regexp_matches(postings.searched_text, patterns.pattern)

),

final as (

    select
        job_posting_id || ':' || technology_id as job_posting_technology_id,
        *
    from matched

)

select * from final
