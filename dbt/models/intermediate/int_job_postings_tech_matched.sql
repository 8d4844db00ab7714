-- One row per job posting and catalog technology it mentions (see
-- int_job_posting_texts_matched for the rules), with the posting's current state.
with

postings as (

    select * from {{ ref('int_job_postings_observed') }}

),

mentions as (

    select job_posting_id, unnest(technology_ids) as technology_id
    from {{ ref('int_job_posting_texts_matched') }}

),

final as (

    select
        mentions.job_posting_id || ':' || mentions.technology_id as job_posting_technology_id,
        mentions.job_posting_id,
        mentions.technology_id,
        postings.competitor_id,
        postings.first_seen_at,
        postings.closed_at,
        postings.is_open
    from mentions
    inner join postings using (job_posting_id)

)

select * from final
