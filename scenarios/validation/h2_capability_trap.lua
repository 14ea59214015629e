-- Held-out check H2 (MODEL.md §6.2): the capability trap. Two identical trusts under the same
-- demand and the same policy settle at different capability depending on where they started.
-- Design: trusts "Capable" and "Stretched" are built alike. For five years Capable runs a QI
-- programme (training, coaches, protected time) while Stretched does nothing. From week 260
-- both face the same raised demand (--arg demand, default 1.25 x usual) and the same modest
-- programme for ten years. Nothing was fitted to this pattern.
-- H4 (the critical shock) reuses it: --arg shock_weeks=D puts Capable through a further
-- crisis (demand x --arg shock_peak, default 1.5, on top) from week 312 for D weeks; whether
-- its capability comes back is read against the arm without it (D = 0).
-- Read by `qisim validate`: practising_share of both trusts, weeks 520-780.
scenario { name = "H2 capability trap", weeks = 780 }
local r = region { name = "Validation" }
local spec = { region = r, staff = 1500, teams = 50, board = { commitment = 0.5, style = "enabling" },
               data_maturity = 0.4 }
spec.name = "Capable"
local capable = trust(spec)
spec.name = "Stretched"
local stretched = trust(spec)
regulator { name = "CQC" }
stretched:board_decides(false) -- nothing happens there until the scenario says so
at(0, function()
  capable:strategy("qi")
  capable:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
  capable:train { tier = "practitioner", share = 0.1, project = true }
  capable:coaches(4)
  capable:protected_time(0.1)
end)
every(13, function() capable:train { tier = "practitioner", share = 0.01, project = true } end, 13)
local demand = arg("demand", 1.25)
local same = function(t)
  t.demand_level = demand
  t:strategy("qi")
  t:protected_time(0.05)
  t:coaches(2)
end
at(260, function() same(capable); same(stretched) end)
every(13, function()
  if week() >= 260 then
    for _, t in ipairs(trusts()) do t:train { tier = "practitioner", share = 0.01, project = true } end
  end
end)
local shock_weeks = arg("shock_weeks", 0)
if shock_weeks > 0 then
  at(312, function() capable.demand_level = demand * arg("shock_peak", 1.5) end)
  at(312 + shock_weeks, function() capable.demand_level = demand end)
end
record { "practising_share", "efficiency", "waiting", "workload", "reliability", "strain", "culture",
         levels = { "trust" }, every = 13 }
