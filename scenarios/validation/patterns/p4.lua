-- Pattern P4 (MODEL.md §5.4), a calibration target: audit and feedback across many teams,
-- median effect about +4 points, IQR about 0.5-16, a quarter null or negative (B:L1818-1820).
-- Scenario: scenarios/validation/p4_audit_feedback.lua (140 teams), feedback arm against the
-- paired control (--arg feedback=0); each team is one value.
pattern { id = "P4", kind = "calibration", fitted = "data.feedback_*", max_reps = 10 }

local fed = arm { "feedback", scenario = "scenarios/validation/p4_audit_feedback.lua", args = { feedback = 1 } }
local control = arm { "control", scenario = "scenarios/validation/p4_audit_feedback.lua", args = { feedback = 0 } }
local f = series { arm = fed, level = "team", metric = "reliability" }
local c = series { arm = control, level = "team", metric = "reliability" }
-- each team's change over the run, feedback arm minus control arm, in points
local effect = 100 * ((at(f, "end") - at(f, 0)) - (at(c, "end") - at(c, 0)))
local q1, med, q3 = quantile(effect, 0.25), median(effect), quantile(effect, 0.75)

row {
  title = "P4 audit and feedback, 140 teams x reps", target = "+4.3, IQR 0.5-16, ~25%", source = "B:L1818",
  figure = { "median %+.1f pt, IQR %.1f to %.1f, %.0f%% <= 0.5", med, q1, q3, 100 * sum(le(effect, 0.5)) / count(effect) },
  check = { between(med, 3, 6), between(q1, -0.5, 1.5), between(q3, 11, 20) },
  knockout = { "data.on=0" },
}
