-- Special measures: a trust rated inadequate, new leadership with QI experience and a
-- credible plan. How fast does the rating recover, and how far behind is the culture?
--
-- Question: when an inadequate trust goes into special measures and gets a new chief
-- executive with QI experience and a credible improvement plan, how many months until its
-- rating climbs, and is its culture anywhere near embedded by then? How does that compare
-- with the same shock handled by "grip and control": a new chief executive without QI
-- experience and a compliance plan?
--
-- Design: one region, an inspecting regulator, two identical struggling acute trusts of
-- 4,000 staff and 140 teams (board commitment 0.15, command-and-control style, culture
-- 0.15, reliability 0.45, finance pressure 0.6). At week 0 each is inspected, found
-- inadequate and put into special measures (which brings the regulator's support coaches,
-- extra regulatory load and a higher chance of leadership churn: regulation.sm_*,
-- leadership.ceo_turnover_crisis). Re-inspection follows the regulator's cadence for
-- inadequate trusts (regulation.cadence_inadequate, 52 weeks).
--   "QI-led recovery": a new CEO with QI experience at once (W:L267, C:L214) and a credible
--     plan: QI as the method, the executive team, managers and team leaders on the leader
--     programme, a leadership development programme, 6 coaches and a central team of 4 at
--     week 0, a practitioner course with a project for 1% of staff every quarter, 3% protected
--     time from month 6, data investment.
--   "Compliance-led recovery": a new CEO without QI experience at once and a compliance
--     strategy (assurance, basics first, C:L204-210); no QI programme beyond what special
--     measures brings.
-- Six years (312 weeks) so the slow loop can be seen after the rating has moved.
-- Leadership churn under special measures is left at the engine's default (CEO hazard x4
-- while in special measures), so the new CEO may not last; to hold the new leadership in
-- post, run with --set leadership.ceo_turnover_crisis=1. A successor without QI experience
-- may drop the plan (leadership.ceo_abandon); the plan's courses then stop.
--
-- Look at (trust level):
--   - rating (1 inadequate .. 4 outstanding) and special_measures: months from week 0 to the
--     first rating of requires improvement or better, and to good. The seeds: 1-2 levels in
--     16-39 months, median about 24 (W:L135-143); exit from special measures after 16-18
--     months (W:L136-138).
--   - culture: still far from embedded (culture.embedded = 0.6) when the rating recovers
--     (C:L224: 5-10 years); "rating is not culture" (W:L119, H:L120).
--   - board_commitment, psych_safety, strain, regulatory_load, practising_share,
--     reliability, harm_rate: the QI-led trust should build capability and safety while the
--     compliance-led trust recovers mainly on leadership grip, with higher strain (H:L440-442).
--   - events.csv: "inspection", "special_measures" and "ceo_change" rows give exact dates.

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
    t:inspect()                      -- the inspection that finds it wanting (resets the cadence)
    t:set_special_measures(true)     -- rated inadequate, into special measures
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
