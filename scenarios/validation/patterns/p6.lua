-- Pattern P6 (MODEL.md §5.6), a calibration target: without an effective programme
-- reliability (50-60% of care) and harm (~10% of patients) stay flat for decades
-- (B:L801-807), and culture stays at the usual trust's (B:L819).
-- Scenario: scenarios/validation/p6_status_quo.lua, region "Validation", read each year.
-- A null pattern: no mechanism produces it, so it has no knock-out.
pattern { id = "P6", kind = "calibration", fitted = "the usual-trust equilibrium", max_reps = 10 }

local quo = arm { "status quo", scenario = "scenarios/validation/p6_status_quo.lua" }
local rel = series { arm = quo, region = "Validation", metric = "reliability" }
local harm = series { arm = quo, region = "Validation", metric = "harm_rate" }
local culture = series { arm = quo, region = "Validation", metric = "culture" }
local yearly = { from = 52, every = 52 }
local rel_lo, rel_hi = min(min(rel, yearly)), max(max(rel, yearly))
local harm_lo, harm_hi = min(min(harm, yearly)), max(max(harm, yearly))
local slope = median(100 * (at(rel, "end") - at(rel, 52)) / 29)
local end_culture = mean(at(culture, "end"))

row {
  title = "P6 no programme: flat for 30 years", target = "50-60%, 9-11%, |slope|<0.1", source = "B:L801",
  figure = { "reliability %.3f-%.3f, harm %.3f-%.3f, %+.3f pt/yr", rel_lo, rel_hi, harm_lo, harm_hi, slope },
  check = { at_least(rel_lo, 0.5), at_most(rel_hi, 0.6), at_least(harm_lo, 0.09), at_most(harm_hi, 0.11),
            above(slope, -0.1), below(slope, 0.1) },
}

row {
  title = "P6 no programme: culture stays usual", target = "mean within 0.03 of 0.30", source = "B:L819",
  figure = { "culture at 30 yr %.3f on average (runs %.3f-%.3f)", end_culture,
             min(min(culture, yearly)), max(max(culture, yearly)) },
  check = near(end_culture, param_default("culture.base"), 0.03),
}
