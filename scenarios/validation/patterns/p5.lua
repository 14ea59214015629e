-- Pattern P5 (MODEL.md §5.5), a calibration target: organisation-wide outcome gains appear
-- only once roughly 5% of staff have formal QI training (B:L3947; H:L337).
-- Scenario: scenarios/validation/p5_threshold.lua at six coverages against the paired
-- no-programme arm (--arg coverage=0); the gain is reliability at year 5, in points.
-- Knock-out: stepping up to coach no longer needs a core of practising colleagues in the team
-- (training.step_up_core, the critical mass of train-the-trainer from within, docs/ODD.md 7.5;
-- section 10 row 35 has what it does; training.step_up=0 switches the whole loop off).
pattern { id = "P5", kind = "calibration", fitted = "(none fitted since the capacity rework)", max_reps = 10 }

local path = "scenarios/validation/p5_threshold.lua"
local levels = { 0.01, 0.02, 0.03, 0.05, 0.08, 0.12 }
local off = series { arm = arm { "off", scenario = path, args = { coverage = 0 } }, trust = "Threshold", metric = "reliability" }
local gains, figure = {}, { "" }
for k, level in ipairs(levels) do
  local on = arm { "coverage " .. level, scenario = path, args = { coverage = level } }
  local s = series { arm = on, trust = "Threshold", metric = "reliability" }
  gains[k] = median(100 * (at(s, "end") - at(off, "end")))
  figure[1] = figure[1] .. string.format("%s%g%%%%:%%+.1f", k > 1 and " " or "", 100 * level)
  figure[k + 1] = gains[k]
end

row {
  title = "P5 reliability gain at 5 yr by coverage", target = "<1 pt below, >=2 from 3-8%", source = "B:L3947",
  figure = figure,
  -- the lowest coverage whose gain reaches 2 points, every lower one under 1 point
  check = between(breakpoint { levels = levels, values = gains, reach = 2, flat_below = 1 }, 0.03, 0.08),
  knockout = { "training.step_up_core=0" },
}
