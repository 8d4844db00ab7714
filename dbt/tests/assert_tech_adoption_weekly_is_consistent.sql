-- Rows of fct_tech_adoption_weekly that break the index's invariants (the test passes when
-- none is returned): coverage in [0, 1]; a score exactly when a signal is present, never
-- negative; ranks of scored weeks at least 1; weeks start on Monday.
select *
from {{ ref('fct_tech_adoption_weekly') }}
where coverage < 0
    or coverage > 1 + 1e-9
    or score < 0
    or (score is null) <> (signals_present = 0)
    or (score is not null and (rank_overall < 1 or rank_in_quadrant < 1))
    or isodow(week_start) <> 1
