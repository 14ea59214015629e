-- Held-out check H3 (MODEL.md §6.2): hysteresis. Demand rises by 5% a quarter to 1.5 x usual
-- and falls back; at the same demand (1.1 x) capability is lower on the way down (H:L440).
-- Nothing was fitted to it. Scenario: scenarios/validation/h3_demand_ramp.lua: demand
-- reaches 1.1 going up at week 234 and coming down at week 442, read at the end of each
-- 13-week step (weeks 246 and 454).
pattern { id = "H3", kind = "held_out" }

local ramp = arm { "ramp", scenario = "scenarios/validation/h3_demand_ramp.lua" }
local practising = series { arm = ramp, trust = "Service", metric = "practising_share" }
local up, down = at(practising, 246), at(practising, 454)
local gap = median(1 - down / up)

row {
  title = "H3 hysteresis: demand ramp up and down", target = ">= 10% less on the way down", source = "H:L440",
  figure = { "practising at 1.1x demand: %.2f up, %.2f down (%.0f%% less)", median(up), median(down), 100 * gap },
  check = at_least(gap, 0.1),
  knockout = { "time.firefighting=0", "leadership.time_cut=0", "workforce.strain_workload=0" },
}
