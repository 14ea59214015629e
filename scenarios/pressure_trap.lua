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
-- Look at (trust level), pressured against calm twin (means over replicates). Model, 5 reps
-- (qisim run scenarios/pressure_trap.lua --reps 5, seed 1):
--   - workload at w260: capable 0.98 vs 0.84, no capability 1.88 vs 1.15; the latter still 1.25
--     at w312 (failure demand, time.failure_demand). Strain 0.11 vs 0.04 and 0.87 vs 0.30 at
--     w260; no-capability 0.50 at w312, 0.33 at w516. Waiting (a stock, outcomes.list_weeks):
--     no capability 1.91 at w260, 1.92 at w284, 1.62 at w312, back to 1.02 by w516; capable 0.89
--     vs 0.78 at w260.
--   - capable: no dip at all. Its flow gains (efficiency towards outcomes.max_efficiency) keep
--     workload below workforce.workload_ref through the surge, and the crisis halves its
--     regulatory load, so pressure diverts no more QI time than in the calm twin: practising
--     0.85 vs 0.86 at w260 (0.86 vs 0.87 at w312), psych_safety 0.72 vs 0.74, culture 0.48 vs
--     0.49 at w260, reliability 0.656 vs 0.641, projects completed by w312 1451 vs 1307.
--   - no capability: culture 0.28 (w204) -> 0.17 (w260) -> 0.12 (w312), lowest 0.11 (w336) and
--     0.13 at w516, vs 0.28-0.31 in the calm twin, which no longer drifts down (it fell 0.30 ->
--     0.26 by w416 before the staff network; now 0.30 at w416); psych_safety 0.35 -> 0.13 (w284)
--     -> 0.28 (w516) vs 0.39-0.41. Culture is locked in: 4.5 years after the pressure ended it
--     has won back 0.02 of the 0.18 it lost (0.13 at w516 vs 0.12 at w312 and 0.30 calm).
--     Both no-capability trusts are no longer bare: 0.6-1.2% practise from w156 (0 before), as
--     trainees rotate in from the capable trusts of the same region (workforce.rotation_stay).
--   - reliability at w260: no capability 0.466 vs 0.546 (-8 points), back to 0.545 by w516;
--     harm_rate 0.119 vs 0.101. Turnover 0.40 vs 0.33 a year, vacancies 0.099 vs 0.065 at w260.
-- Known gap: the capable trust is not pressured enough to show the trap (qisim validate H2-H4
--   show it under demand x1.25-1.5 with a modest programme): it has built so much slack that a
--   +35% surge leaves its workload under the usual. There is still no crisis mode.

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
