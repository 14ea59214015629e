-- Pattern P3 (MODEL.md §5.3), a calibration target: after a QI training programme about 62%
-- practise at 6 months and 48% at 18 months (B:L4265); with coaching and protected time
-- conversion is higher and lasts (B:L4185-4187; R:L4315-4326).
-- Scenario: scenarios/validation/p3_training.lua, arms --arg support=0 and support=1.
pattern { id = "P3", kind = "calibration", fitted = "training.conversion, conversion_weeks, drop" }

local alone = arm { "alone", scenario = "scenarios/validation/p3_training.lua", args = { support = 0 } }
local supported = arm { "supported", scenario = "scenarios/validation/p3_training.lua", args = { support = 1 } }
-- practising among staff in post trained at practitioner level or above
local a = series { arm = alone, level = "system", metric = "trained_practising_share" }
local s = series { arm = supported, level = "system", metric = "trained_practising_share" }
local m26, m78 = median(at(a, 26)), median(at(a, 78))
local n26, n78 = median(at(s, 26)), median(at(s, 78))

row {
  title = "P3 training programme without support", target = "62% and 48% +-5", source = "B:L4265",
  figure = { "%.0f%% at 26 wk, %.0f%% at 78 wk", 100 * m26, 100 * m78 },
  check = { near(m26, 0.62, 0.05), near(m78, 0.48, 0.05) },
  knockout = { "training.drop=0", "training.drop_no_time=0", "training.drop_strain=0" },
}

row {
  title = "P3 with coaching and protected time", target = "higher, and lasts", source = "B:L4185; R:L4315",
  figure = { "%.0f%% at 26 wk, %.0f%% at 78 wk (kept %.0f%% vs %.0f%%)",
             100 * n26, 100 * n78, 100 * n78 / n26, 100 * m78 / m26 },
  check = { above(n26, m26), above(n78, m78), above(n78 / n26, m78 / m26) },
  knockout = { "training.or_coaching=1", "training.support_retention=0", "training.time_needed=0.001" },
}
