-- Competitors' job postings, one row per posting; closed, never deleted, when they disappear.
with

postings as (

    select * from {{ ref('int_job_postings_observed') }}

),

final as (

    select
        job_posting_id::varchar as job_posting_id,
        competitor_id::varchar as competitor_id,
        source::varchar as source,
        job_id::varchar as job_id,
        title::varchar as title,
        department::varchar as department,
        hiring_organization::varchar as hiring_organization,
        location::varchar as location,
        workplace_type::varchar as workplace_type,
        employment_type::varchar as employment_type,
        salary_min::decimal(18, 2) as salary_min,
        salary_max::decimal(18, 2) as salary_max,
        salary_currency::varchar as salary_currency,
        salary_period::varchar as salary_period,
        posted_at::timestamptz as posted_at,
        first_seen_at::timestamptz as first_seen_at,
        -- the one definition of "a posting opened": first seen after its board's first
        -- complete crawl (listed at that crawl, it was found, not opened)
        (case when not is_seen_at_first_crawl then first_seen_at end)::timestamptz as opened_at,
        last_seen_at::timestamptz as last_seen_at,
        closed_at::timestamptz as closed_at,
        is_open::boolean as is_open,
        days_open::integer as days_open,
        url::varchar as url,
        description::varchar as description
    from postings

)

select * from final
