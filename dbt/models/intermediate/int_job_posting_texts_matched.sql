-- Which catalog technologies each job posting's text mentions (title and description, as
-- last seen): one row per posting, matched once per version of its text. Incremental: a
-- build matches only the postings whose text is new or changed since the last build
-- (text_hash), so a year of postings is not matched again every day; a change of the
-- catalog or of this model rebuilds it whole (the pipeline asks for a full refresh).
--
-- A technology with a mention_pattern is matched with that RE2 regex, case-sensitively
-- (ambiguous names such as Go or R: "Go to market" must not count). Otherwise its name and
-- every alias match case-insensitively when bounded by non-word characters, with regex
-- metacharacters escaped, so C++, Node.js and .NET work and "Polars" does not match
-- "polarsx". The regex only runs on postings whose text contains one of the technology's
-- terms at all (a plain substring test, much cheaper than the regex).
{{ config(materialized='incremental', unique_key='job_posting_id',
          incremental_strategy='delete+insert') }}

with

technologies as (

    select * from {{ ref('stg_catalog__technologies') }}

),

terms as (

    select distinct
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

custom_patterns as (

    select technology_id, mention_pattern as pattern
    from technologies
    where mention_pattern is not null

),

postings as (

    select
        job_posting_id,
        coalesce(title, '') || chr(10) || coalesce(description, '') as searched_text,
        md5(job_posting_id || chr(0) || coalesce(title, '') || chr(0) || coalesce(description, ''))
            as text_hash
    from {{ ref('int_job_postings_observed') }}

),

to_match as (

    select postings.*, lower(searched_text) as lower_text
    from postings
    {% if is_incremental() %}
    anti join {{ this }} as matched using (job_posting_id, text_hash)
    {% endif %}

),

candidates as (

    select distinct to_match.job_posting_id, terms.technology_id
    from to_match
    inner join terms
        on trim(terms.term) <> ''
        and contains(to_match.lower_text, lower(terms.term))

),

matched as (

    select candidates.job_posting_id, candidates.technology_id
    from candidates
    inner join to_match using (job_posting_id)
    inner join default_patterns using (technology_id)
    where regexp_matches(to_match.searched_text, default_patterns.pattern)
    union all
    select to_match.job_posting_id, custom_patterns.technology_id
    from to_match
    inner join custom_patterns
        on regexp_matches(to_match.searched_text, custom_patterns.pattern)

),

final as (

    select
        to_match.job_posting_id,
        to_match.text_hash,
        coalesce(
            list(matched.technology_id order by matched.technology_id)
                filter (where matched.technology_id is not null),
            []
        ) as technology_ids
    from to_match
    left join matched using (job_posting_id)
    group by to_match.job_posting_id, to_match.text_hash

)

select * from final
