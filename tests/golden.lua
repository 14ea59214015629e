-- The golden run: a tiny scenario whose output at seed 7 is kept in tests/expected/.
-- Any change to the model or the output format changes it: regenerate with `make golden`
-- after checking that the change is intended, and say so in the commit.
scenario { name = "golden", weeks = 30 }
local r = region { name = "Golden" }
local a = trust { name = "A", region = r, staff = 200, teams = 8, board = { commitment = 0.5 } }
trust { name = "B", region = r, staff = 150, teams = 6, kind = "community" }
regulator { name = "CQC" }
at(0, function()
  a:strategy("qi")
  a:train { tier = "practitioner", share = 0.3, project = true }
  a:coaches(2)
end)
at(10, function() a:protected_time(0.05) end)
record { "practising_share", "trained_share", "projects_active", "reliability", "culture", "rating",
         levels = { "trust", "system" }, every = 5 }
