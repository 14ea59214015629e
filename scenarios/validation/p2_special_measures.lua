-- Pattern 2 (MODEL.md §5.2): special measures followed by a credible plan. The rating climbs
-- 1-2 levels in 16-39 months, median about 24 (W:L135-143), while culture is still far from
-- embedded (C:L224).
-- Design: an acute trust of 5,000 staff rated inadequate and put into special measures at
-- week 0, with a weak board and a strained, unsafe climate; a new CEO with QI experience
-- arrives and a credible plan starts: leaders trained, coaches, practitioner training.
-- Read by `qisim validate`: trust "Recovering", rating and culture.
scenario { name = "P2 special measures with a credible plan", weeks = 208 }
local r = region { name = "Validation" }
local t = trust { name = "Recovering", region = r, staff = 5000, teams = 125, rating = "inadequate",
                  board = { commitment = 0.15, style = "command" }, culture = 0.15,
                  reliability = 0.42, finance_pressure = 0.6 }
regulator { name = "CQC" }
at(0, function()
  t:set_special_measures(true)
  t:new_ceo { qi_experience = true }
  t:strategy("qi")
  t:train { tier = "leader", roles = { "executive", "manager" } }
  t:coaches(8)
end)
every(13, function() t:train { tier = "practitioner", share = 0.01, project = true } end)
record { "rating", "culture", "special_measures", levels = { "trust" } }
