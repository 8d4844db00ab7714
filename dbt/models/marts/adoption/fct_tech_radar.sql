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

previous_week as (

    -- the previous radar: the latest week with scores before as_of_week
    select max(weekly.week_start) as previous_week
    from weekly
    cross join as_of
    where weekly.score is not null and weekly.week_start < as_of.as_of_week

),

-- The rules run for two weeks alike: as_of_week (the radar) and previous_week (the one its
-- movement is measured against), each with its own score, rank, momentum and repository.
scored as (

    select weekly.*, weekly.week_start = as_of.as_of_week as is_as_of, as_of.as_of_week
    from weekly
    cross join as_of
    cross join previous_week
    where weekly.score is not null
        and weekly.week_start in (as_of.as_of_week, previous_week.previous_week)

),

scored_count as (

    select week_start, count(*) as technologies from scored group by week_start

),

first_scored as (

    select technology_id, min(week_start) as first_scored_week
    from weekly
    where score is not null
    group by technology_id

),

repositories as (

    -- each week's view of the repository: for as_of_week its newest observation, for the
    -- previous week the newest one made before as_of_week began
    select
        scored.technology_id,
        scored.week_start,
        observations.archived,
        observations.last_release_at,
        observations.observed_at
    from scored
    inner join {{ ref('stg_github_repo__repo_observations') }} as observations
        on scored.technology_id = observations.technology_id
        and (scored.is_as_of or observations.observed_at < scored.as_of_week)
    where {{ tracked_sources_only('observations.source_id') }}
    qualify row_number() over (
        partition by scored.technology_id, scored.week_start
        order by observations.observed_at desc, observations.loaded_at desc,
            observations.source_id
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
    inner join scored_count on scored.week_start = scored_count.week_start
    inner join technologies on scored.technology_id = technologies.technology_id
    inner join first_scored on scored.technology_id = first_scored.technology_id
    left join repositories
        on scored.technology_id = repositories.technology_id
        and scored.week_start = repositories.week_start

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

previous as (

    select technology_id, ring as previous_ring from explained where not is_as_of

),

moved as (

    select
        explained.*,
        previous.previous_ring,
        -- the centre is adopt; a ring nearer to it is "moved in"
        case
            when previous.previous_ring is null then 'new'
            when explained.ring = previous.previous_ring then 'no change'
            when list_position(['adopt', 'trial', 'assess', 'hold'], explained.ring)
                < list_position(['adopt', 'trial', 'assess', 'hold'], previous.previous_ring)
                then 'moved in'
            else 'moved out'
        end as movement
    from explained
    left join previous on explained.technology_id = previous.technology_id
    where explained.is_as_of

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
        as_of_week::date as as_of_week,
        previous_ring::varchar as previous_ring,
        movement::varchar as movement
    from moved

)

select * from final
