-- The default scenario (what `make run` runs): a small region starts a QI programme.
--
-- Question: what does the first five years of an organisation-wide QI programme look like
-- in one trust, next to two neighbours that carry on as usual?
-- Design: three trusts in one region under an inspecting regulator. At week 0 "Riverside"
-- adopts QI as its method, trains its executives and managers as improvement leaders and
-- starts coaching; from then on it runs a practitioner course every quarter, and at year
-- one protects 5% of staff time. "Hillview" and "Seaview" do nothing new.
-- Look at: practising_share and trained_share (Riverside rises, the others stay near 0 unless
-- their own board takes up QI), projects_completed, reliability and harm_rate (flat in a
-- comparison trust that does not), culture (slow: approaching, not yet at, the embedded level
-- 0.6 after five years) and qi_spend.
-- Model (qisim run scenarios/default.lua, seed 1, one replicate, as `make run`; rerun on commit
-- cfb3c75): at w260 Riverside practising 0.82, culture 0.51, reliability 0.551 -> 0.664; Hillview
-- flat (practising 0.007, reliability 0.551); but Seaview's new CEO (week 8, QI experience) takes
-- it into QI by its own board's decision at week 11, so it reaches practising 0.13, culture 0.46,
-- reliability 0.574 by w260. Over 5 reps (--reps 5) Riverside practising 0.72, culture 0.57; the
-- other two practising 0.02-0.03, reliability 0.547-0.550.

scenario { name = "A region starts a QI programme", weeks = 260 }

local north = region { name = "North" }

local riverside = trust {
  name = "Riverside", kind = "acute", region = north, staff = 2400, teams = 80,
  board = { commitment = 0.4, style = "enabling" }, data_maturity = 0.4,
}
trust { name = "Hillview", kind = "acute", region = north, staff = 2000, teams = 70 }
trust { name = "Seaview", kind = "mental_health", region = north, staff = 1200, teams = 50 }

regulator { name = "CQC", stance = "inspector" }

at(0, function()
  riverside:strategy("qi")
  riverside:train { tier = "leader", roles = { "executive", "manager" } }
  riverside:coaches(4)
end)

every(13, function()
  riverside:train { tier = "practitioner", share = 0.02, project = true }
end)

at(52, function() riverside:protected_time(0.05) end)

record {
  "trained_share", "formally_trained_share", "practising_share", "projects_active",
  "projects_completed", "psych_safety", "culture", "board_commitment", "reliability",
  "harm_rate", "waiting", "strain", "rating", "qi_spend", "journey_stage",
  levels = { "trust", "region", "system" }, every = 4,
}
