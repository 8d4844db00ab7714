-- The adoption index per technology and complete week: each signal's weekly value and its
-- index (value / benchmark mean x 100), the weighted score over the signals present, its
-- coverage, ranks and momentum. The definition is in the model's docs.
with

signal_weeks as (

    select * from {{ ref('int_tech_signals_weekly') }}

),

technologies as (

    select technology_id, category from {{ ref('dim_technologies') }}

),

total_weight as (

    select sum(weight) as weight
    from {{ ref('stg_catalog__signal_weights') }}
    where weight > 0

),

pivoted as (

    select
        technology_id,
        week_start,
        {%- for s in tech_signals() %}
        max(value) filter (where signal = '{{ s.name }}') as {{ s.name }},
        {%- endfor %}
        {%- for s in tech_signals() %}
        max(signal_index) filter (where signal = '{{ s.name }}') as {{ s.name }}_index,
        {%- endfor %}
        -- a signal is present when it has an index and counts in the score (weight > 0)
        count(*) filter (where signal_index is not null and weight > 0) as signals_present,
        sum(weight) filter (where signal_index is not null and weight > 0) as weight_present,
        sum(weight * signal_index) filter (where signal_index is not null and weight > 0)
            as weighted_index
    from signal_weeks
    group by technology_id, week_start

),

-- Momentum is like for like: the score now and n weeks earlier, both over the signals present
-- in both weeks. A signal that starts (or stops) being read changes the score's make-up, and
-- must not look like growth (or decline).
momentum as (

    select
        now.technology_id,
        now.week_start,
        {%- for weeks in (4, 12) %}
        sum(now.weight * now.signal_index) filter (where earlier_{{ weeks }}.signal_index is not null)
            / nullif(sum(now.weight * earlier_{{ weeks }}.signal_index), 0) - 1
            as momentum_{{ weeks }}w{{ ',' if not loop.last }}
        {%- endfor %}
    from signal_weeks as now
    {%- for weeks in (4, 12) %}
    left join signal_weeks as earlier_{{ weeks }}
        on earlier_{{ weeks }}.technology_id = now.technology_id
        and earlier_{{ weeks }}.signal = now.signal
        and earlier_{{ weeks }}.week_start = (now.week_start - interval {{ weeks * 7 }} day)::date
        and earlier_{{ weeks }}.signal_index is not null
    {%- endfor %}
    where now.signal_index is not null and now.weight > 0
    group by now.technology_id, now.week_start

),

scored as (

    select
        pivoted.*,
        technologies.category,
        coalesce(pivoted.weight_present / nullif(total_weight.weight, 0), 0) as coverage,
        pivoted.weighted_index / nullif(pivoted.weight_present, 0) as score
    from pivoted
    cross join total_weight
    left join technologies on pivoted.technology_id = technologies.technology_id

),

ranked as (

    select
        *,
        case when score is not null then
            rank() over (partition by week_start order by score desc nulls last)
        end as rank_overall,
        case when score is not null then
            rank() over (partition by week_start, category order by score desc nulls last)
        end as rank_in_quadrant
    from scored

),

final as (

    select
        (technology_id || ':' || strftime(week_start, '%Y-%m-%d'))::varchar as adoption_week_id,
        technology_id::varchar as technology_id,
        week_start::date as week_start,
        {%- for s in tech_signals() %}
        {{ s.name }}::double as {{ s.name }},
        {%- endfor %}
        {%- for s in tech_signals() %}
        {{ s.name }}_index::double as {{ s.name }}_index,
        {%- endfor %}
        signals_present::integer as signals_present,
        coverage::double as coverage,
        score::double as score,
        rank_overall::integer as rank_overall,
        rank_in_quadrant::integer as rank_in_quadrant,
        momentum.momentum_4w::double as momentum_4w,
        momentum.momentum_12w::double as momentum_12w
    from ranked
    left join momentum using (technology_id, week_start)

)

select * from final
