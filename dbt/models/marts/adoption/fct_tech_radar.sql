-- The radar: each technology's ring in the latest week with scores, by the rules in the
-- model's docs, with its risk flags and the reasons in words.
with

weekly as (

    select * from {{ ref('fct_tech_adoption_weekly') }}

),

technologies as (

    select * from {{ ref('dim_technologies') }}

),

as_of as (

    select max(week_start) as as_of_week from weekly where score is not null

),

scored as (

    select weekly.*, as_of.as_of_week
    from weekly
    inner join as_of on weekly.week_start = as_of.as_of_week
    where weekly.score is not null

),

scored_count as (

    select count(*) as technologies from scored

),

first_scored as (

    select technology_id, min(week_start) as first_scored_week
    from weekly
    where score is not null
    group by technology_id

),

repositories as (

    -- the newest observation of each technology's repository
    select technology_id, archived, last_release_at, observed_at
    from {{ ref('stg_github_repo__repo_observations') }}
    where {{ tracked_sources_only() }}
    qualify row_number() over (
        partition by technology_id order by observed_at desc, loaded_at desc, source_id
    ) = 1

),

flagged as (

    select
        scored.*,
        technologies.name,
        technologies.category as quadrant,
        scored_count.technologies as scored_technologies,
        repositories.archived as is_archived,
        repositories.last_release_at,
        coalesce(repositories.archived, false) as flag_archived,
        -- unknown (no repository, or one without releases) is not stale
        coalesce(
            repositories.last_release_at < repositories.observed_at - interval 365 day, false
        ) as flag_stale,
        coalesce(scored.momentum_12w < -0.15 and scored.momentum_4w < 0, false)
            as flag_declining,
        scored.signals_present = 1 as flag_single_signal,
        scored.rank_overall <= ceil(scored_count.technologies / 3.0) as is_top_third,
        first_scored.first_scored_week >= scored.as_of_week - interval 21 day as is_new,
        -- the signals behind the score, for the single-signal reason
        list_filter([
            {%- for s in tech_signals() %}
            case when scored.{{ s.name }}_index is not null then '{{ s.name }}' end
            {{- ', ' if not loop.last }}
            {%- endfor %}
        ], lambda s: s is not null) as indexed_signals
    from scored
    cross join scored_count
    inner join technologies on scored.technology_id = technologies.technology_id
    inner join first_scored on scored.technology_id = first_scored.technology_id
    left join repositories on scored.technology_id = repositories.technology_id

),

ringed as (

    select
        *,
        case
            when flag_archived or flag_stale or flag_declining then 'hold'
            when is_top_third and momentum_12w >= -0.05 and signals_present >= 2 then 'adopt'
            when momentum_12w >= 0.15 then 'trial'
            else 'assess'
        end as ring,
        -- "up 12%", "down 8%", "unchanged" (less than half a percent either way)
        case
            when round(abs(momentum_12w) * 100) = 0 then 'unchanged'
            when momentum_12w > 0 then 'up ' || round(momentum_12w * 100)::integer || '%'
            else 'down ' || round(-momentum_12w * 100)::integer || '%'
        end as change_12w
    from flagged

),

explained as (

    select
        *,
        list_filter([
            case when flag_archived then 'repository archived' end,
            case when flag_stale then
                'no release since ' || strftime(last_release_at at time zone 'UTC', '%Y-%m-%d')
                || ' (stale)'
            end,
            case when flag_declining then
                'score down ' || round(-momentum_12w * 100)::integer || '% over 12 weeks and '
                || round(-momentum_4w * 100)::integer || '% over 4 weeks (declining)'
            end,
            case when ring = 'adopt' then
                'rank ' || rank_overall || ' of ' || scored_technologies
                || ' (top third), score ' || change_12w || ' over 12 weeks (adopt)'
            end,
            case when ring = 'trial' then
                'score ' || change_12w || ' over 12 weeks (trial)'
            end,
            case when ring = 'assess' then
                'rank ' || rank_overall || ' of ' || scored_technologies || ', '
                || coalesce(
                    'score ' || change_12w || ' over 12 weeks',
                    'less than 12 weeks of scores'
                ) || ' (assess)'
            end,
            case when flag_single_signal then
                'one signal only (' || indexed_signals[1] || ')'
            end
        ], lambda r: r is not null) as reason_list
    from ringed

),

final as (

    select
        technology_id::varchar as technology_id,
        name::varchar as name,
        quadrant::varchar as quadrant,
        ring::varchar as ring,
        score::double as score,
        rank_overall::integer as rank_overall,
        momentum_4w::double as momentum_4w,
        momentum_12w::double as momentum_12w,
        coverage::double as coverage,
        is_archived::boolean as is_archived,
        last_release_at::timestamptz as last_release_at,
        flag_declining::boolean as flag_declining,
        flag_stale::boolean as flag_stale,
        flag_archived::boolean as flag_archived,
        flag_single_signal::boolean as flag_single_signal,
        array_to_string(reason_list, '; ')::varchar as reasons,
        is_new::boolean as is_new,
        as_of_week::date as as_of_week
    from explained

)

select * from final
