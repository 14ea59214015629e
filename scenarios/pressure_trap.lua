-- The pressure trap: demand rises, then falls back. Does capability come back with it?
--
-- Question: under sustained operational pressure, effort shifts from improving to
-- firefighting and assurance, which erodes improvement capability and raises pressure
-- (H:L440-442; B:L433, L1461, L2960). Once capability has eroded, does removing the pressure
-- restore it quickly, or is the trust locked in (MODEL.md §3.3: hysteresis)? And does a
-- trust that built capability beforehand weather the pressure better than one that did not?
--
-- Design: one region, an inspecting regulator, four acute trusts of 3,000 staff and 110
-- teams built alike. Two "capable" trusts run a QI programme from week 0 and keep it
-- throughout (QI as the method; executives, managers and team leaders on the leader
-- programme; 6 coaches; 5% protected time; a practitioner course with a project for 1.5%
-- of staff every quarter; awareness for a fifth of staff a year). Two trusts have no
-- programme. One trust of each pair is "pressured", the other is its "calm" twin:
--   weeks 0-155    normal demand (capability builds for three years);
--   weeks 156-207  demand rises linearly to +35%;
--   weeks 208-259  demand holds at +35%;
--   weeks 260-285  demand falls back linearly to normal;
--   weeks 286-519  normal demand again: four and a half years to recover.
-- The surge is applied with trust:crisis{} renewed every week, the engine's per-trust
-- demand lever. Note that a crisis also halves regulatory load while it runs
-- (regulation.crisis_relief, B:L2095) and a practising workforce absorbs part of it
-- (time.capability_buffer x practising share, B:L2103: about a third of the surge in the
-- capable trust, where most staff practise by year 3). Both soften the pressure.
-- Leadership is held stable in all four trusts (leadership.ceo_tenure = 30 years) and the
-- capable trusts' courses run only while QI is still their method, so that each pair of
-- twins differs only in the pressure.
-- Ten years (520 weeks).
--
-- Look at (trust level), each pressured trust against its calm twin:
--   - workload and strain: the pressure itself, and whether it returns to normal after week
--     286 (failure demand, time.failure_demand, can keep it up: the trap's feedback).
--   - practising_share, projects_active, knowhow, board_commitment, psych_safety, culture:
--     capability should erode under pressure (faster than it was built) and, after the
--     pressure goes, stay below the calm twin for well over a year (lock-in; the time to
--     recover should be clearly longer than the time to erode).
--   - reliability, harm_rate, turnover, vacancies: the consequences for patients and staff.
--   - the capable pressured trust should lose less care reliability than the trust without
--     capability (latent skill buffered quality, C:L196), even while losing capability.

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
