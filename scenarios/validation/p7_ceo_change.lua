-- Pattern 7 (MODEL.md §5.7): a CEO change before embedding sets the programme back; after
-- embedding it does not (C:L202, L577; R:L2808-2813).
-- Design: the P1 programme with natural CEO turnover off; --arg change_week=W replaces the
-- CEO (without QI experience) at week W; change_week=0 means no forced change (the paired
-- control arm). `qisim validate` runs W = 104 (before embedding) and W = 520 (after).
-- Read by `qisim validate`: board_commitment and practising_share 104 weeks after W.
scenario { name = "P7 CEO change before and after embedding", weeks = 676 }
local r = region { name = "Validation" }
local t = trust { name = "Programme", region = r, staff = 5000, teams = 125,
                  board = { commitment = 0.6, style = "enabling" }, data_maturity = 0.4 }
regulator { name = "CQC" }
param("leadership.ceo_tenure", 30)
at(0, function()
  t:strategy("qi")
  t:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
  t:central_team(6)
  t:coaches(10)
  t:protected_time(0.05)
  t:invest_data(0.3)
end)
every(13, function() t:train { tier = "practitioner", share = 0.005, project = true } end)
every(52, function() t:train { tier = "awareness", share = 0.2 } end)
local change = arg("change_week", 0)
if change > 0 then
  at(change, function() t:new_ceo { qi_experience = false } end)
end
record { "board_commitment", "practising_share", "culture", levels = { "trust" }, every = 4 }
