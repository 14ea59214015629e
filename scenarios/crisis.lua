-- A covid-like crisis hitting trusts with and without prior QI capability.
--
-- Question: in covid-19, organisations with a well-developed QI approach used QI more, more
-- strategically and more collaboratively (B:L2103); reduced bureaucracy and quicker decisions
-- enabled improvement (B:L2095); latent skill buffered quality (C:L196). Does prior capability
-- protect care, staff and capability through a crisis, and do capable trusts come out better?
--
-- Design: an inspecting regulator, four acute trusts of 3,000 staff and 110 teams built alike.
-- Two "capable" trusts run a programme from week 0 throughout (QI as the method; leader
-- programme for executives, managers and team leaders; 6 coaches; 3% protected time; every
-- quarter a practitioner course with a project for 1% of staff; every year awareness for a
-- fifth). Two have no programme. At week 208 a crisis hits one trust of each pair: demand x1.3
-- for 78 weeks (trust:crisis{}: regulatory load and assurance halved, regulation.crisis_relief;
-- a practising workforce absorbs part of the surge, time.capability_buffer; QI goes light-touch:
-- more starts and faster, lower-fidelity cycles, projects.crisis_*); the other is its unhit twin.
-- Leadership held stable (leadership.ceo_tenure = 30 years). Eight years (416 weeks).
--
-- Look at (trust level), hit against unhit twin; w204 before, w284 end of crisis. Model, 5 reps
-- (qisim run scenarios/crisis.lua --reps 5, seed 1; rerun after the governance mechanisms of
-- issue 8, which also cost the capable trusts assurance time under the inspector):
--   - workload w204 -> w284: capable hit 1.06 -> 1.29 (twin 1.00), no-capability hit 1.18 ->
--     1.82 (twin 1.16); strain at w284 0.35 (twin 0.15) vs 0.84 (twin 0.31); vacancies 0.069 vs
--     0.098 at w284.
--   - reliability at w284: capable hit 0.579 (twin 0.587: held); no-capability hit 0.470 vs
--     0.545; harm_rate 0.093 (twin 0.092) vs 0.118 (twin 0.101).
--   - light-touch QI: the capable hit trust completes 283 projects in weeks 208-284 vs its twin's
--     210; practising_share 0.36 -> 0.48 (twin 0.29 -> 0.52) at w284, 0.66 vs 0.72 at w416.
--   - recovery: at w312 the capable hit trust's strain is 0.18 and reliability 0.595 (twin 0.592);
--     the no-capability hit trust's strain 0.58 and reliability 0.507 (twin 0.545).
--   - culture: capable hit 0.45 vs 0.48 at w284, 0.53 vs 0.58 at w416; no-capability hit
--     0.25 -> 0.15 at w284, 0.12 at w312 and 0.08 at w416 vs 0.26-0.28 in its twin: a spiral of
--     decline (B:L1112) with no recovery. psych_safety 0.36 -> 0.13 (0.22 at w416, twin 0.37);
--     rating 2.8 -> 2.2 at w284 and w312 (twin 2.8-3.0). Capable hit psych_safety 0.60 vs 0.67
--     (w284), 0.73 vs 0.76 (w416).
-- Known gap: the capable trust still comes out slightly behind its unhit twin on culture (0.53
--   vs 0.58 at w416): the crisis has no "emerge better equipped" learning (B:L2107), only a
--   faster loop and a buffer (docs/ODD.md 7.7.1, §10).

scenario { name = "A covid-like crisis and prior capability", weeks = 416 }

local r = region { name = "North West" }

local function acute(name)
  return trust { name = name, kind = "acute", region = r, staff = 3000, teams = 110 }
end

local capable_hit = acute("Capable, hit")
local capable_unhit = acute("Capable, not hit")
local bare_hit = acute("No capability, hit")
acute("No capability, not hit")

regulator { name = "CQC", stance = "inspector" }

-- Leadership held stable in all four trusts (a CEO change is then rare), so that twins differ
-- only in what the scenario does to them; --set leadership.ceo_tenure=2.5 restores the churn.
param("leadership.ceo_tenure", 30)

local capable = { capable_hit, capable_unhit }

at(0, function()
  for _, t in ipairs(capable) do
    t:strategy("qi")
    t:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
    t:coaches(6)
    t:protected_time(0.03)
  end
end)
every(13, function()
  for _, t in ipairs(capable) do
    if t:strategy() == "qi" then t:train { tier = "practitioner", share = 0.01, project = true } end
  end
end)
every(52, function()
  for _, t in ipairs(capable) do
    if t:strategy() == "qi" then t:train { tier = "awareness", share = 0.2 } end
  end
end)

at(208, function()
  capable_hit:crisis { weeks = 78, demand = 1.3 }
  bare_hit:crisis { weeks = 78, demand = 1.3 }
end)

record {
  "workload", "strain", "turnover", "vacancies", "reliability", "harm_rate", "practising_share",
  "projects_active", "projects_completed", "psych_safety", "culture", "board_commitment",
  "regulatory_load", "rating",
  levels = { "trust" }, every = 4,
}
