-- Held-out check H3 (MODEL.md §6.2): the capability trap's hysteresis. One acute trust
-- builds capability for four years under a steady QI programme, which then carries on
-- unchanged; only the demand on its services moves: from week 208 it rises by 5% a quarter
-- up to --arg peak (default 1.5 x usual), then falls back at the same pace to usual.
-- Capability on the way down is compared with capability at the same demand on the way up.
-- Nothing was fitted to this pattern. Read by `qisim validate`: practising_share of trust
-- "Service" at the weeks demand passes 1.1 x usual going up and coming down.
scenario { name = "H3 demand ramp up and down", weeks = 780 }
local r = region { name = "Validation" }
local t = trust { name = "Service", region = r, staff = 1500, teams = 50,
                  board = { commitment = 0.5, style = "enabling" }, data_maturity = 0.4 }
regulator { name = "CQC" }
at(0, function()
  t:strategy("qi")
  t:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
  t:train { tier = "practitioner", share = 0.1, project = true }
  t:coaches(4)
  t:protected_time(0.05)
end)
every(13, function() t:train { tier = "practitioner", share = 0.01, project = true } end, 13)
local peak = arg("peak", 1.5)
local steps = math.floor((peak - 1) / 0.05 + 0.5)
for k = 1, 2 * steps do
  local level = k <= steps and 1 + 0.05 * k or 1 + 0.05 * (2 * steps - k)
  at(208 + 13 * k, function() t.demand_level = level end)
end
record { "practising_share", "efficiency", "waiting", "workload", "strain", "culture", "demand",
         levels = { "trust" }, every = 13 }
