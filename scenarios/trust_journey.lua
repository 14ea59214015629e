-- Organisation-wide QI journey: ten years in one trust, next to a comparison trust.
--
-- Question: what does a sustained, organisation-wide QI programme look like year by year in
-- one trust? How fast does capability spread, when do the first project gains show, how long
-- does the culture take to embed, and what does it cost, against a similar trust that carries
-- on as usual?
--
-- Design: one region, an inspecting regulator, two mental-health trusts of 4,000 staff and
-- 150 teams each, built alike (board commitment 0.45, data maturity 0.3, culture 0.3).
--   "Journey" follows the path of the CQC's and Health Foundation's case trusts (C:L186,
--   C:L336, C:L495-502, H:L50-57, H:L262-266, H:L314):
--     week 0   QI becomes the trust's method; every executive, manager and team leader starts
--              the leader programme (senior leaders first, C:L336, L511); a leadership
--              development programme; a central QI team of 6 and 8 coaches; data investment.
--     every 13 weeks  a practitioner course with a real project for 1% of staff (ELFT trained
--              roughly 10-15% of its staff a year at all tiers, H:L134, L142).
--     every 52 weeks  awareness training for a fifth of staff; from year 1 QI at induction.
--     week 26  5% of working time protected for QI ("the key investment is time", C:L411).
--     week 104 a further data investment (measurement for improvement, H:L364-366).
--   "Comparison" does nothing new.
--   The programme's courses run only while QI is still the trust's method: a new chief
--   executive without QI experience may drop a programme that is not yet embedded
--   (leadership.ceo_abandon), and then its protected time goes too.
--   Leadership is held stable (leadership.ceo_tenure = 30 years, so a change is rare), as in
--   the case trusts whose board stability let them embed QI (C:L202; H:L252). To see the
--   journey with the usual churn (mean tenure 2.5 years, B:L2970), add
--   --set leadership.ceo_tenure=2.5 (then about half the replicates lose the programme to a
--   new chief executive; ceo_change.lua isolates that question).
-- Ten years (520 weeks); 3+ replicates.
--
-- Look at (trust level, "Journey" against "Comparison"):
--   - practising_share, formally_trained_share: Journey rises within a year and passes the 5%
--     formal-training threshold (B:L3947) by about year 3; Comparison stays near 0.
--   - projects_completed: the first adopted changes within about 3 months (fast loop, C:L216,
--     L592).
--   - culture: the slow loop. It should reach its embedded level (culture.embedded, 0.6) only
--     after 5-10 years (C:L224), not before year 5; journey_stage climbs to 5-6 ("sustaining").
--   - board_commitment: rises with quick wins and a trained board (C:L218, L228).
--   - reliability and harm_rate: a few points better at Journey by years 5-10 (national audits
--     gained 1-3 points a year, B:L1833-1834); Comparison flat (B:L801-807).
--   - strain, rating: should not worsen at Journey; qi_spend and qi_spend_total: the cost
--     (US providers spend up to 1% of turnover, H:L316).

scenario { name = "Organisation-wide QI journey", weeks = 520 }

param("leadership.ceo_tenure", 30)

local region_ = region { name = "North" }

local journey = trust {
  name = "Journey", kind = "mental_health", region = region_, staff = 4000, teams = 150,
  board = { commitment = 0.45, style = 0.4 }, data_maturity = 0.3, finance_pressure = 0.4,
}
trust {
  name = "Comparison", kind = "mental_health", region = region_, staff = 4000, teams = 150,
  board = { commitment = 0.45, style = 0.4 }, data_maturity = 0.3, finance_pressure = 0.4,
}

regulator { name = "CQC", stance = "inspector" }

at(0, function()
  journey:strategy("qi")
  journey:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
  journey:develop_leaders()
  journey:central_team(6)
  journey:coaches(8)
  journey:invest_data(0.2)
end)

-- The programme's later steps run only while QI is still the trust's method.
local function on_programme() return journey:strategy() == "qi" end

every(13, function()
  if on_programme() then
    journey:train { tier = "practitioner", share = 0.01, project = true, interprofessional = true }
  end
end)

every(52, function()
  if on_programme() then journey:train { tier = "awareness", share = 0.2 } end
end)

at(26, function() if on_programme() then journey:protected_time(0.05) end end)
at(52, function() if on_programme() then journey:induction("awareness") end end)
at(104, function() if on_programme() then journey:invest_data(0.2) end end)

record {
  "trained_share", "formally_trained_share", "practising_share", "projects_active",
  "projects_completed", "projects_sustained", "psych_safety", "culture", "board_commitment",
  "journey_stage", "reliability", "harm_rate", "strain", "turnover", "rating", "qi_spend",
  "qi_spend_total",
  levels = { "trust" }, every = 4,
}
