-- Pattern P2 (MODEL.md §5.2), a calibration target: after special measures and a credible
-- plan the rating climbs in 16-39 months, median about 24 (W:L135-143), while culture is still
-- far from embedded (C:L224). Scenario: scenarios/validation/p2_special_measures.lua.
pattern { id = "P2", kind = "calibration", fitted = "regulation.threshold_*, weight_*, noise, cadence" }

local plan = arm { "plan", scenario = "scenarios/validation/p2_special_measures.lua" }
local rating = series { arm = plan, trust = "Recovering", metric = "rating" }
local culture = series { arm = plan, trust = "Recovering", metric = "culture" }

-- the week the rating first rises above inadequate (1), NaN in a run where it never does
local recovered = first(rating, ">", 1)
local months = recovered * 12 / 52
local embedded = ge(at(culture, recovered), param_default("culture.embedded"))

row {
  title = "P2 rating recovery after special measures", target = "16-39 mo, median ~24", source = "W:L135-143",
  figure = { "median %.0f mo (10-90%% %.0f-%.0f), %d/%d never",
             median(months), quantile(months, 0.1), quantile(months, 0.9), missing(months), n(months) },
  check = { above(count(months), 0), between(median(months), 16, 39) },
  knockout = { "regulation.special_measures=0" },
}

row {
  title = "P2 culture still far from embedded", target = "none", source = "C:L224",
  figure = { "%d of %d recoveries with culture embedded", sum(embedded), count(months) },
  check = at_most(sum(embedded), 0),
  knockout = { "culture.up_years=0.1" },
}
