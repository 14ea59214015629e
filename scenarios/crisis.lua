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
-- for 78 weeks (trust:crisis{}: regulatory load halved, regulation.crisis_relief; a practising
-- workforce absorbs part of the surge, time.capability_buffer); the other is its unhit twin.
-- Leadership held stable (leadership.ceo_tenure = 30 years). Eight years (416 weeks).
--
-- Look at (trust level), hit against unhit twin; w204 before, w284 end of crisis. Model, 5 reps
-- (qisim run scenarios/crisis.lua --reps 5, seed 1):
--   - workload w204 -> w284: capable hit 0.97 -> 1.08 (twin 0.90; flow gains leave it under the
--     usual 1.15 even at x1.3 demand), no-capability hit 1.15 -> 1.78; strain at w284 0.17 (twin
--     0.08) vs 0.81 (twin 0.30); vacancies 0.059 vs 0.098 at w284.
--   - reliability at w284: capable hit 0.621 (twin 0.613: held); no-capability hit 0.475 vs
--     0.546; harm_rate 0.084 (twin 0.086) vs 0.117 (twin 0.101).
--   - practising_share in the capable hit trust 0.76 vs 0.77 at w284, 0.81 in both at w416;
--     projects completed in weeks 208-284 335 vs 292. The seeds have QI use holding up or rising
--     in capable organisations (B:L2019).
--   - culture: capable hit 0.49 vs 0.52 at w284, 0.58 vs 0.60 at w416; no-capability hit
--     0.29 -> 0.17 at w284, 0.14 at w312 and 0.12 at w416 vs 0.28-0.29 in its twin: a
--     spiral of decline (B:L1112) with no recovery. psych_safety 0.39 -> 0.18 (0.25 at w416, twin
--     0.39); rating 2.6 -> 1.8 at w284 and w312 (twin 2.6-2.8); special measures entered in 3/5
--     replicates (w243-312). Capable hit psych_safety 0.69 vs 0.73 (w284), 0.80 in both (w416).
-- Known gap: QI use holds but does not rise in the capable trust, and it comes out no better
--   placed than its unhit twin: a crisis changes demand and load only, with no light-touch QI
--   mode or strategic learning (docs/ODD.md §10, shocks.c). The unhit trust without capability
--   no longer drifts up: its culture goes 0.30 -> 0.28 by w204 and stays there to w416 (0.34 at
--   w416 before culture's churn was counted per member in post; docs/ODD.md §10, rows 21 and 23).

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
