-- Every observation of a technology adoption signal, in long form: one row per source,
-- signal, date and run, from tracked sources only.
--
-- A source that failed in a run (error body, 404, 5xx) yielded no item, so it adds no row
-- here: its signal is absent for that run, never 0. A field the API did not report arrives as
-- a NULL value with the reason.
--
-- Dates: daily series carry their own day; point-in-time counters (stars, forks, questions)
-- are dated by the run (observed_at, UTC); Hacker News counts are dated by their week's
-- Monday, and only weeks that had ended when the run asked (a running week is partial).
with

pypi as (

    select
        technology_id,
        'pypi_downloads' as signal,
        download_date as signal_date,
        downloads::double as value,
        case when downloads is null then 'downloads not reported by pypistats' end
            as unavailable_reason,
        source_id,
        run_id,
        observed_at,
        loaded_at
    from {{ ref('stg_pypistats__daily_downloads') }}
    -- mirrors=false is what the catalog asks for (see fct_package_downloads_daily)
    where category = 'without_mirrors'

),

npm as (

    select
        technology_id,
        'npm_downloads' as signal,
        download_date as signal_date,
        downloads::double as value,
        case when downloads is null then 'downloads not reported by the npm API' end
            as unavailable_reason,
        source_id,
        run_id,
        observed_at,
        loaded_at
    from {{ ref('stg_npm_downloads__daily_downloads') }}

),

repos as (

    select * from {{ ref('stg_github_repo__repo_observations') }}

),

stars as (

    select
        technology_id,
        'github_stars' as signal,
        (observed_at at time zone 'UTC')::date as signal_date,
        stars::double as value,
        case when stars is null then 'stargazers_count not reported by GitHub' end
            as unavailable_reason,
        source_id,
        run_id,
        observed_at,
        loaded_at
    from repos

),

forks as (

    select
        technology_id,
        'github_forks' as signal,
        (observed_at at time zone 'UTC')::date as signal_date,
        forks::double as value,
        case when forks is null then 'forks_count not reported by GitHub' end
            as unavailable_reason,
        source_id,
        run_id,
        observed_at,
        loaded_at
    from repos

),

questions as (

    select
        technology_id,
        'stackoverflow_questions' as signal,
        (observed_at at time zone 'UTC')::date as signal_date,
        question_count::double as value,
        case when question_count is null then 'count not reported by Stack Exchange' end
            as unavailable_reason,
        source_id,
        run_id,
        observed_at,
        loaded_at
    from {{ ref('stg_stackexchange_tags__tag_observations') }}

),

stories as (

    select
        technology_id,
        'hn_stories' as signal,
        week_start as signal_date,
        stories::double as value,
        case when stories is null then 'nbHits not reported by HN Algolia' end
            as unavailable_reason,
        source_id,
        run_id,
        observed_at,
        loaded_at
    from {{ ref('stg_hn_mentions__weekly_stories') }}
    -- a week still running when the run asked would be a partial count
    where week_start + interval 7 day <= observed_at at time zone 'UTC'

),

pageviews as (

    select
        technology_id,
        'wikipedia_pageviews' as signal,
        view_date as signal_date,
        views::double as value,
        case when views is null then 'views not reported by Wikimedia' end
            as unavailable_reason,
        source_id,
        run_id,
        observed_at,
        loaded_at
    from {{ ref('stg_wikipedia_pageviews__daily_views') }}

),

unioned as (

    select * from pypi
    union all
    select * from npm
    union all
    select * from stars
    union all
    select * from forks
    union all
    select * from questions
    union all
    select * from stories
    union all
    select * from pageviews

),

final as (

    select
        run_id || ':' || source_id || ':' || signal || ':' || strftime(signal_date, '%Y-%m-%d')
            as signal_observation_id,
        *
    from unioned
    where {{ tracked_sources_only() }}
    -- one value per source, signal and date within a run
    qualify row_number() over (
        partition by run_id, source_id, signal, signal_date
        order by value is null, loaded_at desc, value desc
    ) = 1

)

select * from final
