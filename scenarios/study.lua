-- A branching study: one two-year burn-in, then arms that differ only from week 104.
--
-- Question: after two years of a QI strategy with quarterly practitioner courses, does
-- investing in coaches and protected time, or a regulator turning improvement partner, do more
-- over the next five years?
--
-- Design: one acute trust of 2,400 staff and 80 teams (engine defaults), an inspecting
-- regulator, seven years (364 weeks). The burn-in's actions (QI strategy at week 0, 1% of
-- staff on a practitioner course every 13 weeks) are the same in every arm and scheduled
-- first; each arm's own policy follows from week 104 (--arg arm=none|invest|partner). Run the
-- burn-in once and branch from its checkpoint (docs/experiments.md section 7, docs/cli.md):
--   qisim run scenarios/study.lua --reps 20 --checkpoint-week 104 --checkpoint-dir ck --out results/none
--   qisim run scenarios/study.lua --reps 20 --from ck --arg arm=invest --out results/invest
--   qisim compare results/none results/invest --level trust
--
-- Figures: this file is the worked example of the docs; it makes no claim of its own.
scenario { name = "Invest after a two-year burn-in", weeks = 364 }
local r = region { name = "North" }
local t = trust { name = "Riverside", region = r, staff = 2400, teams = 80 }
local reg = regulator { name = "CQC", stance = "inspector" }
-- the burn-in's actions, identical in every arm
at(0, function() t:strategy("qi") end)
every(13, function() t:train { tier = "practitioner", share = 0.01 } end)
-- each arm's own policy, after them, from week 104
local arm = arg("arm", "none")
if arm == "invest" then at(104, function() t:coaches(10) ; t:protected_time(0.05) end) end
if arm == "partner" then at(104, function() reg:stance("partner") end) end
record { "practising_share", "reliability", "regulatory_load", levels = { "trust" } }
