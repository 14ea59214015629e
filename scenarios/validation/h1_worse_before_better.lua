-- Held-out check H1 (MODEL.md §6.1): worse before better. A large rise in protected
-- improvement time first costs the service capacity (waits rise), then the improvement it
-- buys lifts the service above the control (Repenning & Sterman; H:L440-442, B:L2958).
-- Design: one acute trust of 2,000 staff with a modest QI programme (QI strategy, leaders and
-- a first cohort trained, coaches, practitioner courses each quarter). At week 52 the
-- treatment arm (--arg protected=0.15) protects 15% of working time; the control arm
-- (protected=0, the default) does not. Nothing was fitted to this pattern.
-- Read by `qisim validate`: trust "Service" waiting, weeks 52-260, treatment against control.
scenario { name = "H1 worse before better", weeks = 260 }
local r = region { name = "Validation" }
local t = trust { name = "Service", region = r, staff = 2000, teams = 60,
                  board = { commitment = 0.5, style = "enabling" }, data_maturity = 0.4 }
regulator { name = "CQC" }
at(0, function()
  t:strategy("qi")
  t:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
  t:train { tier = "practitioner", share = 0.05, project = true }
  t:coaches(4)
end)
every(13, function() t:train { tier = "practitioner", share = 0.01, project = true } end, 13)
local share = arg("protected", 0)
at(52, function() t:protected_time(share) end)
record { "waiting", "reliability", "workload", "practising_share", "efficiency", "strain", "qi_spend", levels = { "trust" } }
