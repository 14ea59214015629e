-- A covid-like crisis hitting trusts with and without prior QI capability.
--
-- Question: in the covid-19 crisis, organisations that already had a well-developed QI
-- approach (a trained workforce, coached leaders) used QI more, more strategically and more
-- collaboratively (B:L2103); reduced bureaucracy and quicker decisions enabled improvement
-- (B:L2095); latent skill buffered quality in a hard time (C:L196). In the model, does prior
-- capability protect care, staff and capability itself through a crisis, and do capable
-- trusts come out of it better placed?
--
-- Design: one region, an inspecting regulator, four acute trusts of 3,000 staff and 110
-- teams built alike. Two "capable" trusts run a QI programme from week 0 (QI as the method;
-- executives, managers and team leaders on the leader programme; 6 coaches; 3% protected
-- time; a practitioner course with a project for 1% of staff every quarter; awareness for a
-- fifth of staff a year) and keep it running throughout; two trusts have no programme. At
-- week 208 (year 4) a covid-like crisis hits one trust of each pair ("hit"): demand x1.3 for
-- 78 weeks (trust:crisis{}, which also halves regulatory load while it lasts: bureaucracy
-- down, regulation.crisis_relief; a practising workforce absorbs part of the surge,
-- time.capability_buffer x practising share). The other trust of each pair is its unhit twin, the
-- counterfactual. (A system-wide crisis{} does the same at every trust; the per-trust form
-- gives the counterfactual in the same run.)
-- Leadership is held stable in all four trusts (leadership.ceo_tenure = 30 years) and the
-- capable trusts' courses run only while QI is still their method, so that each pair of
-- twins differs only in the crisis.
-- Eight years (416 weeks): four before, a year and a half of crisis, two and a half after.
--
-- Look at (trust level), each hit trust against its unhit twin, capable against not:
--   - workload, strain, turnover: the crisis load, lighter where capability absorbs some.
--   - reliability and harm_rate: smaller losses in the capable trust (C:L196).
--   - practising_share, projects_active, projects_completed: the seeds say QI use held up or
--     rose in capable organisations (44-49% of Q members saw its role increase, B:L2019);
--     at least capability should not collapse in the capable trust.
--   - psych_safety, culture, board_commitment: whether the capable trust comes out "more
--     strategically equipped" (B:L2109) and the other one in a spiral of decline (B:L1112).

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
