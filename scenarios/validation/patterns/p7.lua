-- Pattern P7 (MODEL.md §5.7), a calibration target: a CEO change before culture embeds sets
-- the programme back (C:L202); after embedding it has little effect (C:L577).
-- Scenario: scenarios/validation/p1_culture.lua with --arg change_week=104 or 520 against the
-- paired arm without a change (change_week=0), read 104 weeks after the change. The mean, not
-- the median: a change sets a programme back in some runs and not in others.
pattern { id = "P7", kind = "calibration", fitted = "leadership.ceo_setback, ceo_abandon" }

local path = "scenarios/validation/p1_culture.lua"
local control = arm { "no change", scenario = path, args = { change_week = 0 } }
local function read(a, metric) return series { arm = a, trust = "Programme", metric = metric } end
local function setback(week)
  local changed = arm { "change at " .. week, scenario = path, args = { change_week = week } }
  local at_week = week + 104
  local practising = mean(at(read(changed, "practising_share"), at_week) / at(read(control, "practising_share"), at_week) - 1)
  local board = mean(at(read(changed, "board_commitment"), at_week) - at(read(control, "board_commitment"), at_week))
  return practising, board
end
local before_p, before_c = setback(104)
local after_p, after_c = setback(520)

row {
  title = "P7 CEO change before embedding (wk 104)", target = "set back", source = "C:L202",
  figure = { "mean practising %+.0f%%, board %+.2f", 100 * before_p, before_c },
  check = any { at_most(before_p, -0.1), at_most(before_c, -0.1) },
  knockout = { "leadership.ceo_setback=0", "leadership.ceo_abandon=0" },
}

row {
  title = "P7 CEO change after embedding (wk 520)", target = "little effect", source = "C:L577",
  figure = { "mean practising %+.0f%%, board %+.2f", 100 * after_p, after_c },
  check = { above(after_p, -0.05), above(after_c, -0.05), above(after_p, before_p) },
  knockout = { "leadership.embedded_protection=0" },
}
