-- The pressure trap: demand rises, then falls back. Does capability come back with it?
--
-- Question: under sustained pressure, effort shifts from improving to firefighting and
-- assurance, which erodes capability and raises pressure (H:L440-442; B:L433, L1461, L2960).
-- Once capability has eroded, does removing the pressure restore it quickly, or is the trust
-- locked in (MODEL.md 3.3: hysteresis)? Does a trust that built capability first weather it?
--
-- Design: an inspecting regulator, four acute trusts of 3,000 staff and 110 teams built alike.
-- Two "capable" trusts run a programme throughout (QI as the method; leader programme for
-- executives, managers and team leaders; 6 coaches; 5% protected time; every quarter a
-- practitioner course with a project for 1.5% of staff; every year awareness for a fifth); two
-- have none. One of each pair is "pressured", the other its calm twin: demand normal to w155,
-- rising linearly to +35% by w208, held to w259, back to normal by w286, then normal to w519.
-- The surge is trust:crisis{} renewed weekly (it also halves regulatory load,
-- regulation.crisis_relief, and a practising workforce absorbs part of it,
-- time.capability_buffer). Leadership held stable (leadership.ceo_tenure = 30). Ten years.
--
-- Look at (trust level), pressured against calm twin (paired medians for gaps). Model, 20 reps:
--   - workload at w260: capable 1.43 vs 1.13, no capability 1.84 vs 1.15; the latter still 1.21
--     at w312 (failure demand, time.failure_demand). Strain 0.44 vs 0.23 and 0.80 vs 0.29 at
--     w260; no-capability 0.42 at w312, 0.31 at w516.
--   - capable: practising_share gap -0.08 at w260, -0.02 at w312, 0 by w364; psych_safety
--     gap -0.08 at w260, -0.04 at w312, 0 by w440; knowhow gap -0.04 at w284, -0.02 at w416;
--     culture unchanged (0.556 vs 0.557 at w260).
--   - no capability: culture 0.30 -> 0.13 (w284) -> 0.12 (w312), only 0.20 at w516 vs 0.30;
--     psych_safety 0.40 -> 0.17 (w284) -> 0.33 (w516): eroded in ~2 years, not back after 4.5.
--   - reliability at w260: capable 0.664 vs 0.700 (-3.6 points), no capability 0.474 vs 0.548
--     (-7.4), back to 0.546 by w516: latent skill buffers quality (C:L196).
-- Known gap: the capable trust is not locked in: its practice is back within ~1.5 years of the
--   pressure ending, faster than it eroded, and its culture never moves. There is no crisis mode;
--   hysteresis comes only from culture's capped rise and lost capability (docs/ODD.md §10, time.c),
--   and practice stays above the 15% that fully supports culture (culture.practice_full).
--   Lock-in appears only in the trust without capability.

scenario { name = "The pressure trap", weeks = 520 }

local r = region { name = "West" }

local function acute(name)
  return trust { name = name, kind = "acute", region = r, staff = 3000, teams = 110 }
end

local capable_pressured = acute("Capable, pressured")
local capable_calm = acute("Capable, calm")
local bare_pressured = acute("No capability, pressured")
acute("No capability, calm")

regulator { name = "CQC", stance = "inspector" }

-- Leadership held stable in all four trusts (a CEO change is then rare), so that twins differ
-- only in what the scenario does to them; --set leadership.ceo_tenure=2.5 restores the churn.
param("leadership.ceo_tenure", 30)

local capable = { capable_pressured, capable_calm }
local pressured = { capable_pressured, bare_pressured }

at(0, function()
  for _, t in ipairs(capable) do
    t:strategy("qi")
    t:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
    t:coaches(6)
    t:protected_time(0.05)
  end
end)
every(13, function()
  for _, t in ipairs(capable) do
    if t:strategy() == "qi" then t:train { tier = "practitioner", share = 0.015, project = true } end
  end
end)
every(52, function()
  for _, t in ipairs(capable) do
    if t:strategy() == "qi" then t:train { tier = "awareness", share = 0.2 } end
  end
end)

-- Demand relative to normal in week w.
local PEAK = 1.35
local function demand(w)
  if w < 156 or w >= 286 then return 1.0 end
  if w < 208 then return 1.0 + (PEAK - 1.0) * (w - 156) / 52 end
  if w < 260 then return PEAK end
  return PEAK - (PEAK - 1.0) * (w - 260) / 26
end

every(1, function()
  local d = demand(week())
  if d > 1.0 then
    for _, t in ipairs(pressured) do t:crisis { weeks = 2, demand = d } end
  end
end, 156)

record {
  "workload", "strain", "practising_share", "formally_trained_share", "knowhow", "projects_active",
  "projects_completed", "board_commitment", "psych_safety", "culture", "reliability", "harm_rate",
  "turnover", "vacancies", "waiting", "regulatory_load",
  levels = { "trust" }, every = 4,
}
