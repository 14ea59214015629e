-- Pattern P1 (MODEL.md §5.1), a calibration target: under a sustained organisation-wide
-- programme culture embeds only after 5-10 years (C:L224), first project gains show within
-- about 3 months (C:L216, L592). Scenario: scenarios/validation/p1_culture.lua.
pattern { id = "P1", kind = "calibration", fitted = "culture.up_years, projects.pace" }

local programme = arm { "programme", scenario = "scenarios/validation/p1_culture.lua" }
local culture = series { arm = programme, trust = "Programme", metric = "culture" }
local completed = series { arm = programme, trust = "Programme", metric = "projects_completed" }

-- years until culture first reaches the embedded level (NaN in a run where it never does)
local embed = first(culture, ">=", param_default("culture.embedded")) / 52
-- weeks until the first project completes (a run without one counts as 780, the horizon)
local gain = first(completed, ">=", 1, { never = 780 })

row {
  title = "P1 culture embeds under a programme", target = "5-10 yr", source = "C:L224",
  figure = { "median %.1f yr (10-90%% %.1f-%.1f), %d never",
             median(embed), quantile(embed, 0.1), quantile(embed, 0.9), missing(embed) },
  check = { at_most(missing(embed), 0), between(median(embed), 5, 10), at_least(quantile(embed, 0.1), 5) },
  knockout = { "culture.practice=0", "culture.performance=0", "culture.safety=0" },
}

row {
  title = "P1 first project gain", target = "<= 13 wk", source = "C:L216, L592",
  figure = { "median %.0f wk (10-90%% %.0f-%.0f)", median(gain), quantile(gain, 0.1), quantile(gain, 0.9) },
  check = at_most(median(gain), 13),
  knockout = { "projects.on=0" },
}
