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
-- for 78 weeks (trust:crisis{}: assurance target halved, regulation.crisis_relief, the load not;
-- a practising workforce absorbs part of the surge, time.capability_buffer; QI goes light-touch:
-- more starts and faster, lower-fidelity cycles, projects.crisis_*); the other is its unhit twin.
-- Leadership held stable (leadership.ceo_tenure = 30 years). Eight years (416 weeks).
--
-- Look at (trust level), hit against unhit twin; w204 before, w284 end of crisis. Model, 5 reps
-- (qisim run scenarios/crisis.lua --reps 5, seed 1; rerun on commit cfb3c75, after tenure began
-- to advance in the workforce's phase and with the third calibration's defaults):
--   - workload w204 -> w284: capable hit 0.94 -> 1.04 (twin 0.88), no-capability hit 1.16 ->
--     1.81 (twin 1.15); strain at w284 0.17 (twin 0.06) vs 0.87 (twin 0.30); vacancies 0.057 vs
--     0.107 at w284.
--   - reliability at w284: capable hit 0.626 (twin 0.621: light-touch changes hold it level with,
--     not clearly above, its twin); no-capability hit 0.466 vs 0.546; harm_rate 0.083
--     (twin 0.084) vs 0.119 (twin 0.101).
--   - light-touch QI: the capable hit trust completes 464 projects in weeks 208-284 vs its
--     twin's 323 (QI use rises in capable organisations, B:L2019); practising_share 0.78 vs
--     0.82 at w284, 0.85 vs 0.86 at w416.
--   - recovery: at w312 the capable hit trust's strain is 0.06 (twin 0.05) and reliability 0.634
--     (twin 0.629); the no-capability hit trust's strain 0.59 and reliability 0.507 (twin 0.546).
--   - culture: capable hit 0.52 vs 0.52 at w284, 0.62 vs 0.61 at w416; no-capability hit
--     0.29 -> 0.16 at w284, 0.14 at w312 and 0.10 at w416 vs 0.27 in its twin: a spiral of
--     decline (B:L1112) with no recovery. psych_safety 0.39 -> 0.14 (0.18 at w416, twin 0.38);
--     rating 2.8 -> 2.2 at w284 and w312 (twin 2.6). Capable hit psych_safety 0.72 vs 0.74
--     (w284), 0.83 vs 0.82 (w416).
-- Known gap: the capable trust comes out level with its unhit twin on culture (0.62 vs
--   0.61 at w416; replicate-wise difference over 20 reps +0.02, sd 0.05): the crisis has no
--   "emerge better equipped" learning of its own (B:L2107), only a faster loop, less bureaucracy
--   and a buffer (docs/ODD.md 7.7.1, §10).
-- Since a crisis no longer cuts the regulatory load (a double count, docs/ODD.md 7.12: only the
--   assurance target is cut), hit minus twin at w284, 20 reps, seed 1, before -> after: capable
--   strain +0.032 -> +0.091 (95% +-0.016), reliability +0.025 -> +0.007 (+-0.006), workload
--   +0.076 -> +0.139; no-capability strain +0.51 -> +0.56, reliability -0.077 -> -0.083; culture
--   unchanged (capable -0.00, no-capability -0.12). The "after" figures hold on commit cfb3c75
--   (qisim run scenarios/crisis.lua --reps 20: capable strain +0.089 +-0.020, reliability +0.009
--   +-0.007, workload +0.137; no-capability strain +0.56, reliability -0.083; culture capable
--   +0.01, no-capability -0.12); the 5-replicate figures above are from that commit too.

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
