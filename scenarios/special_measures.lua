-- Special measures: a trust rated inadequate, new leadership with QI experience and a
-- credible plan. How fast does the rating recover, and how far behind is the culture?
--
-- Question: after an inadequate rating and special measures, how many months until the rating
-- climbs under a new CEO with QI experience and a credible QI plan, and is the culture near
-- embedded by then? How does "grip and control" (a CEO without QI experience and a compliance
-- plan, C:L204-210) compare?
--
-- Design: an inspecting regulator, two identical struggling acute trusts of 4,000 staff and 140
-- teams (board 0.15, command style, culture 0.15, reliability 0.45, finance pressure 0.6). Week
-- 0: both rated inadequate and put into special measures (support coaches, extra load, CEO
-- hazard x4: regulation.sm_*, leadership.ceo_turnover_crisis); re-inspection every 52 weeks.
--   "QI-led recovery": new CEO with QI experience (W:L267, C:L214), QI as the method, leader
--     programme for executives, managers and team leaders, leadership development, 6 coaches,
--     central team of 4, data investment, a practitioner course with a project for 1% of staff a
--     quarter, 3% protected time from w26; the courses stop if a successor drops the plan.
--   "Compliance-led recovery": new CEO without QI experience and a compliance strategy.
-- Six years (312 weeks). --set leadership.ceo_turnover_crisis=1 holds new leaders in post.
--
-- Look at (trust level; events.csv dates inspections, special measures, CEO changes and dropped
-- programmes). Seeds: rating up 1-2 levels in 16-39 months, median ~24 (W:L135-143); exit after
-- 16-18 months (W:L136-138); culture still far from embedded (W:L119, H:L120; C:L224).
-- Model, 5 reps (qisim run scenarios/special_measures.lua --reps 5, seed 1), QI-led vs
-- compliance-led:
--   - first rating of requires improvement or better: months 12, 24, 24, 36, 48 (median 24) vs
--     12, 12, 12, 12, 36; good by year 6 in 1/5 (month 60) vs 0/5. Mean rating 1.6 vs 1.8 at
--     w104, 2.2 vs 1.4 at w312 (compliance-led trusts that climbed fall back).
--   - culture 0.17 / 0.18 / 0.24 at w52 / w104 / w312 vs 0.15 / 0.15 / 0.18 (embedded is 0.6).
--   - at w312: board_commitment 0.50 vs 0.30, psych_safety 0.42 vs 0.29, strain 0.27 vs 0.39,
--     practising_share 0.06 vs 0, reliability 0.455 vs 0.435, harm_rate 0.121 vs 0.126.
--   - churn: 5.4 vs 6.2 CEO changes per trust after week 0; a successor drops the QI plan in
--     4/5 replicates (months 6-12); with ceo_turnover_crisis=1 (2.8 changes per trust in both
--     arms) it is still dropped in 4/5 (months 3-31), and good by year 6 in 2/5 (months 24 and
--     48).
-- Known gap: the compliance-led trust climbs at the first re-inspection (month 12) in 4/5
--   replicates, before the seeds' 16-39 months and faster than the QI-led one: CEOs change every
--   few months in special measures, a successor has QI experience with leadership.new_ceo_qi =
--   0.2, and one (before w51 in every replicate) sets style and board commitment to 0.6 at once,
--   which the regulator's score counts (docs/ODD.md §10, row 17). The QI plan rarely survives
--   the churn, so the QI-led arm gains little.

scenario { name = "Special measures: QI-led vs compliance-led recovery", weeks = 312 }

local r = region { name = "Midlands" }

local function struggling(name)
  return trust {
    name = name, kind = "acute", region = r, staff = 4000, teams = 140,
    board = { commitment = 0.15, style = "command" }, culture = 0.15, reliability = 0.45,
    finance_pressure = 0.6, data_maturity = 0.25, rating = "requires_improvement",
  }
end

local qi_led = struggling("QI-led recovery")
local compliance_led = struggling("Compliance-led recovery")

regulator { name = "CQC", stance = "inspector" }

at(0, function()
  for _, t in ipairs({ qi_led, compliance_led }) do
    t:set_special_measures(true)     -- the inspection's verdict: rated inadequate, into special
                                     -- measures (sets the rating and resets the cadence)
  end

  qi_led:new_ceo { qi_experience = true }
  qi_led:strategy("qi")
  qi_led:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
  qi_led:develop_leaders()
  qi_led:coaches(6)
  qi_led:central_team(4)
  qi_led:invest_data(0.2)

  compliance_led:new_ceo { qi_experience = false }
  compliance_led:strategy("compliance")
end)

-- The plan's later steps run only while QI is still the trust's method (a successor CEO
-- without QI experience may drop it: leadership.ceo_abandon).
every(13, function()
  if qi_led:strategy() == "qi" then qi_led:train { tier = "practitioner", share = 0.01, project = true } end
end)
at(26, function() if qi_led:strategy() == "qi" then qi_led:protected_time(0.03) end end)

record {
  "rating", "special_measures", "culture", "board_commitment", "psych_safety", "strain",
  "regulatory_load", "practising_share", "formally_trained_share", "projects_completed",
  "reliability", "harm_rate", "turnover", "qi_spend",
  levels = { "trust" }, every = 4,
}
