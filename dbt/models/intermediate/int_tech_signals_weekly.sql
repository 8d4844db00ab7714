-- Each technology's signals per complete week (Monday to Sunday, UTC), divided by the
-- benchmark set's mean: one row per technology, signal and week, from the technology's first
-- week with any signal to the last week that had ended at the latest run. A signal the
-- technology lacks that week is a row with a NULL value (never 0).
--
-- Weekly values: daily counts are summed over weeks with all seven days reported; running
-- totals (stars, forks, questions) take the latest value observed in or before the week;
-- Hacker News stories are the week's count.
with

signals as (

    select * from {{ ref('fct_tech_signals_daily') }}

),

technologies as (

    select technology_id, benchmark from {{ ref('dim_technologies') }}

),

weights as (

    select signal, weight from {{ ref('stg_catalog__signal_weights') }}

),

known as (

    select * from signals where value is not null

),

bounds as (

    select
        min(date_trunc('week', signal_date))::date as first_week,
        -- the last week that had ended when the latest run observed
        (date_trunc('week', max(observed_at at time zone 'UTC')) - interval 7 day)::date
            as last_week
    from signals

),

weeks as (

    select unnest(generate_series(first_week, last_week, interval 7 day))::date as week_start
    from bounds
    where first_week <= last_week

),

daily_sums as (

    select
        technology_id,
        signal,
        date_trunc('week', signal_date)::date as week_start,
        sum(value) as value
    from known
    where signal in {{ tech_signals_of_kind('daily_sum') }}
    group by technology_id, signal, date_trunc('week', signal_date)
    -- a complete week: one known value for each of its seven days
    having count(*) = 7

),

weekly_counts as (

    select technology_id, signal, signal_date as week_start, value
    from known
    where signal in {{ tech_signals_of_kind('weekly') }}

),

running_totals as (

    select technology_id, signal, signal_date, value
    from known
    where signal in {{ tech_signals_of_kind('point_in_time') }}

),

running_total_weeks as (

    select distinct running_totals.technology_id, running_totals.signal, weeks.week_start
    from running_totals
    cross join weeks

),

carried as (

    -- the latest value observed on or before the week's Sunday
    select
        running_total_weeks.technology_id,
        running_total_weeks.signal,
        running_total_weeks.week_start,
        running_totals.value
    from running_total_weeks
    asof join running_totals
        on running_total_weeks.technology_id = running_totals.technology_id
        and running_total_weeks.signal = running_totals.signal
        and running_total_weeks.week_start + 6 >= running_totals.signal_date

),

weekly_values as (

    select * from daily_sums
    union all
    select * from weekly_counts
    union all
    select * from carried

),

first_weeks as (

    select technology_id, min(week_start) as first_week
    from weekly_values
    where week_start in (select week_start from weeks)
    group by technology_id

),

grid as (

    select first_weeks.technology_id, signal_list.signal, weeks.week_start
    from first_weeks
    inner join weeks on weeks.week_start >= first_weeks.first_week
    cross join (
        select unnest([
            {%- for s in tech_signals() %}'{{ s.name }}'{{ ', ' if not loop.last }}{% endfor -%}
        ]) as signal
    ) as signal_list

),

valued as (

    select
        grid.technology_id,
        grid.signal,
        grid.week_start,
        weekly_values.value,
        coalesce(technologies.benchmark, false) as is_benchmark
    from grid
    left join weekly_values
        on grid.technology_id = weekly_values.technology_id
        and grid.signal = weekly_values.signal
        and grid.week_start = weekly_values.week_start
    left join technologies on grid.technology_id = technologies.technology_id

),

benchmark as (

    -- over the benchmark technologies that have the signal that week
    select
        signal,
        week_start,
        avg(value) as benchmark_mean,
        count(*) as benchmark_technologies
    from valued
    where is_benchmark and value is not null
    group by signal, week_start

),

final as (

    select
        valued.technology_id || ':' || valued.signal || ':'
            || strftime(valued.week_start, '%Y-%m-%d') as tech_signal_week_id,
        valued.technology_id,
        valued.signal,
        valued.week_start,
        valued.value,
        benchmark.benchmark_mean,
        coalesce(benchmark.benchmark_technologies, 0) as benchmark_technologies,
        case
            when benchmark.benchmark_mean > 0 then valued.value / benchmark.benchmark_mean * 100
        end as signal_index,
        coalesce(weights.weight, 0) as weight
    from valued
    left join benchmark
        on valued.signal = benchmark.signal
        and valued.week_start = benchmark.week_start
    left join weights on valued.signal = weights.signal

)

select * from final
