-- An exemplar trust supports a struggling neighbour.
--
-- Question: exemplar trusts have partnered with, or taken over, failing neighbours (Western
-- Sussex and Brighton: inadequate to good in about three years, H:L187, L304-308); trusts
-- learn from partners that "had already pioneered this approach" (C:L232). Does a
-- struggling trust supported by an exemplar improve faster than an identical one that
-- starts the same programme on its own?
--
-- Design: one region, an inspecting regulator, three acute trusts of 3,000 staff and 110
-- teams.
--   "Exemplar": an embedded QI culture (culture 0.7, board 0.85, enabling, data maturity
--     0.6, rated outstanding) that keeps its programme running: QI as the method, leaders
--     trained, 10 coaches, 5% protected time, practitioner courses with projects.
--   "Supported" and "Unsupported": identical struggling trusts (board 0.2, command style,
--     culture 0.2, reliability 0.44, finance pressure 0.6: the regulator's quality score sits
--     in the inadequate band; rated inadequate, special measures switched off so that only
--     the partnership differs). Both start the same modest programme at week 0: QI as the method,
--     executives and managers on the leader programme, 2 coaches, a practitioner course
--     with a project for 1% of staff every quarter. At week 0 the Exemplar starts to
--     support "Supported" (exemplar:support(t): its coaches and example,
--     interorg.partner_coaches, and a peer relationship); "Unsupported" gets nothing more.
-- Leadership is held stable in all three trusts (leadership.ceo_tenure = 30 years; with the
-- usual churn a new CEO may drop either struggling trust's young programme, which blurs the
-- comparison: --set leadership.ceo_tenure=2.5 restores it). The struggling trusts' courses
-- run only while QI is still their method.
-- Five years (260 weeks).
--
-- Look at (trust level), Supported against Unsupported:
--   - board_commitment, practising_share, projects_completed, psych_safety, culture: faster
--     capability building with the partner, with culture still slow (C:L224).
--   - reliability, harm_rate, rating: Supported should reach requires improvement / good
--     sooner (about three years from inadequate to good in the Brighton case, H:L187, L308),
--     but not within a year (MODEL.md M10: no turnaround in under a year).
--   - the Exemplar's own series: supporting a neighbour should not drag it down.

scenario { name = "Exemplar partnership", weeks = 260 }

local r = region { name = "South East" }

local exemplar = trust {
  name = "Exemplar", kind = "acute", region = r, staff = 3000, teams = 110,
  board = { commitment = 0.85, style = "enabling" }, culture = 0.7, data_maturity = 0.6,
  reliability = 0.6, rating = "outstanding",
}

local function struggling(name)
  return trust {
    name = name, kind = "acute", region = r, staff = 3000, teams = 110,
    board = { commitment = 0.2, style = "command" }, culture = 0.2, reliability = 0.44,
    finance_pressure = 0.6, rating = "inadequate",
  }
end

local supported = struggling("Supported")
local unsupported = struggling("Unsupported")

regulator { name = "CQC", stance = "inspector", }
param("regulation.special_measures", false)   -- isolate the partnership from special measures
param("leadership.ceo_tenure", 30)

at(0, function()
  exemplar:strategy("qi")
  exemplar:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
  exemplar:train { tier = "practitioner", share = 0.1, project = true }
  exemplar:train { tier = "awareness", share = 0.5 }
  exemplar:induction("awareness")
  exemplar:coaches(10)
  exemplar:protected_time(0.05)

  for _, t in ipairs({ supported, unsupported }) do
    t:strategy("qi")
    t:train { tier = "leader", roles = { "executive", "manager" } }
    t:coaches(2)
  end

  exemplar:support(supported)
end)

every(13, function()
  exemplar:train { tier = "practitioner", share = 0.01, project = true }
  for _, t in ipairs({ supported, unsupported }) do
    if t:strategy() == "qi" then t:train { tier = "practitioner", share = 0.01, project = true } end
  end
end)

record {
  "board_commitment", "practising_share", "formally_trained_share", "projects_completed",
  "psych_safety", "culture", "reliability", "harm_rate", "rating", "strain", "journey_stage",
  "coaches", "qi_spend",
  levels = { "trust" }, every = 4,
}
