-- A change of chief executive before vs after QI is embedded.
--
-- Question: the same organisation-wide programme runs in three trusts. In one the chief
-- executive changes in year 2, before the culture is embedded; in another in year 8, after
-- it is embedded; in the third the CEO stays. Does the early change set the programme back,
-- and does the late one leave it intact?
--
-- Design: one region, an inspecting regulator, three identical acute trusts of 3,000 staff
-- and 110 teams with a committed board (0.6, enabling). Natural CEO turnover is made rare
-- (leadership.ceo_tenure = 30 years; stable leadership, C:L202) so that nearly all changes
-- are the forced ones. All three run the same programme from week 0: QI as the method, the
-- executives, managers and team leaders on the leader programme, a central team of 4 and
-- 8 coaches, 5% protected time, data investment; a practitioner course with a project for
-- 1% of staff every quarter and awareness for a fifth of staff every year.
--   "Change at year 2": a new CEO without QI experience at week 104.
--   "Change at year 8": a new CEO without QI experience at week 416 (the culture passes
--                       culture.embedded, 0.6, at about year 6 under this programme).
--   "No change":        the CEO stays.
-- The courses run only while QI is still a trust's method: a new CEO without QI experience
-- may drop a programme that is not yet embedded, with its protected time
-- (leadership.ceo_abandon, scaled by how far the culture is from embedded); the dropped trust
-- then stops its courses too (events.csv: "programme_dropped").
-- Ten years (520 weeks): two years of follow-up after the late change.
--
-- Look at (trust level), each changed trust against "No change" over the two years after its
-- change (weeks 104-208 and 416-520):
--   - board_commitment: the early change should cut it sharply and for long; the late one
--     hardly (C:L577: embedded culture survives a change of chief executive; B:L2970: CEOs
--     stay 2-3 years, which undermines culture change).
--   - practising_share, projects_completed, culture, journey_stage: the early change should
--     leave the programme behind the no-change trust (C:L202; R:L2808-2813); the late change
--     should leave it where it was.
--   - reliability, harm_rate: whether the setback reaches patients.
--   - events.csv "ceo_change" gives the board commitment right after each change.

scenario { name = "CEO change before vs after embedding", weeks = 520 }

param("leadership.ceo_tenure", 30)

local r = region { name = "South" }

local function programme_trust(name)
  return trust {
    name = name, kind = "acute", region = r, staff = 3000, teams = 110,
    board = { commitment = 0.6, style = "enabling" }, data_maturity = 0.4,
  }
end

local early = programme_trust("Change at year 2")
local late = programme_trust("Change at year 8")
local stable = programme_trust("No change")
local all = { early, late, stable }

regulator { name = "CQC", stance = "inspector" }

at(0, function()
  for _, t in ipairs(all) do
    t:strategy("qi")
    t:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
    t:central_team(4)
    t:coaches(8)
    t:protected_time(0.05)
    t:invest_data(0.3)
  end
end)

every(13, function()
  for _, t in ipairs(all) do
    if t:strategy() == "qi" then t:train { tier = "practitioner", share = 0.01, project = true } end
  end
end)
every(52, function()
  for _, t in ipairs(all) do
    if t:strategy() == "qi" then t:train { tier = "awareness", share = 0.2 } end
  end
end)

at(104, function() early:new_ceo { qi_experience = false } end)
at(416, function() late:new_ceo { qi_experience = false } end)

record {
  "board_commitment", "practising_share", "projects_active", "projects_completed", "culture",
  "journey_stage", "psych_safety", "reliability", "harm_rate", "rating",
  levels = { "trust" }, every = 4,
}
