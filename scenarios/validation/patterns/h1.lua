-- Held-out check H1 (MODEL.md §6.1): worse before better. Protecting 15% of working time at
-- week 52 first costs capacity (waits rise), then the improvement it buys shortens waits
-- below the control's (H:L440-442, B:L2958). Nothing was fitted to it.
-- Scenario: scenarios/validation/h1_worse_before_better.lua, --arg protected=0.15 against 0.
pattern { id = "H1", kind = "held_out" }

local path = "scenarios/validation/h1_worse_before_better.lua"
local control = series { arm = arm { "control", scenario = path, args = { protected = 0 } }, trust = "Service", metric = "waiting" }
local treated = series { arm = arm { "protected", scenario = path, args = { protected = 0.15 } }, trust = "Service", metric = "waiting" }
local excess = treated / control - 1
-- the worst excess over weeks 52-155 (0 when waits never rise) and the week it comes
local window = { from = 52, to = 155, floor = 0 }
local dip = median(100 * max(excess, window))
local dip_week = median(argmax(excess, window))
local gain = median(100 * (1 - at(treated, 155) / at(control, 155)))

row {
  title = "H1 worse before better (protect 15% at wk 52)", target = "dip >= 1%, then gain >= 1%", source = "H:L440",
  figure = { "waits +%.1f%% by wk %.0f, then %.1f%% shorter at 2 yr", dip, dip_week, gain },
  check = { at_least(dip, 1), at_least(gain, 1) },
  knockout = { "time.capacity_cost=0" },
}
