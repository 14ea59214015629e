-- Held-out check H5 (MODEL.md §5.1, C:L224): embedding time spreads between runs and depends
-- on the programme: a quarter-strength programme embeds later or not at all, one withdrawn
-- after a year almost never. Nothing was fitted to it.
-- Scenario: scenarios/validation/p1_culture.lua, --arg strength=0.25 and withdraw_week=52.
pattern { id = "H5", kind = "held_out" }

local path = "scenarios/validation/p1_culture.lua"
local level = param_default("culture.embedded")
local function embed_years(a)
  return first(series { arm = a, trust = "Programme", metric = "culture" }, ">=", level) / 52
end
local full = embed_years(arm { "full", scenario = path })
local quarter = embed_years(arm { "quarter", scenario = path, args = { strength = 0.25 } })
local withdrawn = embed_years(arm { "withdrawn", scenario = path, args = { withdraw_week = 52 } })
local width = quantile(full, 0.9) - quantile(full, 0.1)

row {
  title = "H5 a weaker programme embeds later", target = "later by > 1 yr, or mostly never", source = "C:L224",
  figure = { { "full %.1f yr; quarter-strength ", median(full) },
             { "%.1f yr, %d never", median(quarter), missing(quarter), when = above(count(quarter), 0) },
             { "never (%d)", missing(quarter), when = at_most(count(quarter), 0) } },
  check = { above(count(full), 0),
            any { above(2 * missing(quarter), n(quarter)), above(median(quarter), median(full) + 1) } },
  knockout = { "culture.practice=0", "culture.performance=0", "culture.safety=0", "culture.board=0" },
}

row {
  title = "H5 embedding time varies between runs", target = "10-90% width >= 0.5 yr", source = "C:L224",
  figure = { "full programme: 10-90%% %.1f-%.1f yr (width %.1f)", quantile(full, 0.1), quantile(full, 0.9), width },
  check = { above(count(full), 0), at_least(width, 0.5) },
  knockout = { "culture.serious_rate=0" },
}

row {
  title = "H5 a programme withdrawn after a year", target = "at most 1 in 10 embeds", source = "C:L224",
  figure = { { "%d/%d embed within 15 yr (median %.1f yr)", count(withdrawn), n(withdrawn), median(withdrawn),
               when = above(count(withdrawn), 0) },
             { "0/%d embed within 15 yr", n(withdrawn), when = at_most(count(withdrawn), 0) } },
  check = at_least(10 * missing(withdrawn), 9 * n(withdrawn)),
  -- lapse, and peers holding unsupported practice only as far as it was reinforced (ODD 7.5)
  knockout = { "training.drop=0", "training.drop_no_time=0", "training.drop_strain=0", "training.reinforce_weeks=0" },
}
