-- A regional improvement academy: does learning between the trusts of a region spread QI?
--
-- Question: regional academies run training, learning events and consultancy for their
-- providers (H:L298-302; Surrey Heartlands' academy supports clinicians to work across
-- organisational boundaries, H:L98), and leaders learn by visiting organisations with an
-- established QI culture (C:L250-258; H:L306). With the same programme in each trust, does a
-- region whose academy sends its weaker teams to see its best spread practice further, and at
-- what cost?
--
-- One run has one arm, the scenario argument ARM:
--   qisim run scenarios/regional_academy.lua --arg arm=alone   --reps 5 --out results/academy/alone
--   qisim run scenarios/regional_academy.lua --arg arm=academy --reps 5 --out results/academy/academy
--   qisim compare results/academy/alone results/academy/academy --level region
-- (Without --arg the arm is "academy".)
--
-- Design: one region of 8 trusts on the staff network (8 ties within the team, 2 across the
-- trust, none across the region: trusts meet only through the academy). "Exemplar" (1,500 staff,
-- culture 0.6, board 0.8, enabling) runs an established programme (QI as the method, leaders
-- trained, 8 coaches, 5% protected time, a practitioner course with a project for 10% of staff).
-- Seven ordinary trusts (1,200 staff, 40 teams, board 0.3) each run the same modest programme:
-- executives and managers on the leader programme, 1 coach, and every quarter for three years a
-- practitioner course with a project for 1% of the staff not yet trained. In "academy" the region
-- runs an academy for four years from week 0 (region:academy{ weeks = 208 }): its trusts see each
-- other's practice (a peer network), and every interorg.event_weeks (13) each trust's least
-- practised team visits the region's most practised team in another trust (a learning visit:
-- interorg.visit_learning of the gap to its hosts' know-how, ties to interorg.visit_hosts hosts
-- for interorg.visit_weeks, interorg.visit_days per visitor and per host), at
-- interorg.academy_cost per trust a week paid by the region (support_spend_total). Six years
-- (312 weeks).
-- Knock-outs: --set interorg.visit_learning=0 (visits carry ties only), --set network.on=0 (no
-- ties: visits carry know-how only).
--
-- Look at (region level, alone vs academy, paired differences from qisim compare). Model, 10
-- reps (the commands above with --reps 10, seed 1; rerun on commit cfb3c75, after tenure began
-- to advance in the workforce's phase and with the third calibration's defaults; since issue 8
-- the hosts of a visit give the visit's days too, out of their team's capacity):
--   - practising_share 0.108 vs 0.120 at w104 (+0.012, 95% CI 0.009 to 0.016), 0.145 vs 0.192
--     at w208 (+0.047, CI 0.038 to 0.056), 0.147 vs 0.206 at w312 (+0.059, CI 0.049 to 0.070):
--     the gap keeps growing for two years after the academy closes. knowhow 0.161 vs 0.205.
--   - projects_completed 1293 vs 1444 by w312 (+151, CI 101 to 200); psych_safety +0.007 (CI
--     0.003 to 0.012); reliability 0.577 vs 0.583 (+0.005, CI 0.003 to 0.007); strain 0.190
--     vs 0.182; culture 0.492 vs 0.499 (+0.007, CI -0.000 to +0.015: no longer clear in six
--     years; on 8bf9b8f it was just clear, +0.013, CI 0.001 to 0.025).
--   - cost: the academy GBP 1.66m paid by the region (support_spend_total: 8 trusts x 208 weeks x
--     interorg.academy_cost, an assumption), and GBP 0.47m of the trusts' own QI spend (the
--     visitors' and the hosts' days: qi_spend_total 24.51m vs 24.98m).
--   - what hosting costs (issue 8's branch against the main of then, where hosts gave nothing,
--     academy arms; not rerun, it needs the code before hosts gave their days):
--     practising -0.005 at w312 (CI -0.011 to +0.001), qi_spend_total +GBP 0.04m (CI 0.01 to
--     0.08), strain +0.001 (CI -0.004 to +0.007): the best team gives 2 hosts x 1 day for each
--     of up to seven visits a quarter, too little to show at these sizes.
-- Knock-outs (same seeds, alone vs academy, practising_share at w312; rerun on cfb3c75):
--   - --set interorg.visit_learning=0 (ties, no know-how): +0.003 (CI -0.008 to +0.014): no
--     difference; the ties alone convert nobody who does not know enough.
--   - --set network.on=0 (know-how and the region's peer support, no ties): +0.058 (CI 0.045 to
--     0.070), as large as the full contrast (+0.059). The know-how a visit carries home does the
--     work; the ties add nothing measurable to it.
-- Known gap: the visitors learn a fixed share of the gap to their hosts (interorg.visit_learning,
--   an assumption); nothing is copied or adapted (C:L272); hosting costs the hosts' days but
--   teaches them nothing.

local ARM = arg("arm", "academy")
if ARM ~= "alone" and ARM ~= "academy" then
  error("--arg arm must be alone or academy, not " .. tostring(ARM))
end

scenario { name = "Regional academy: " .. ARM, weeks = 312 }
network { within = 8, across = 2, region = 0 }

local r = region { name = "ICS" }
local exemplar = trust {
  name = "Exemplar", kind = "acute", region = r, staff = 1500, teams = 50,
  board = { commitment = 0.8, style = "enabling" }, culture = 0.6, data_maturity = 0.5,
}
local kinds = { "acute", "mental_health", "community" }
local others = {}
for k = 1, 7 do
  others[k] = trust {
    name = string.format("Trust %d", k), kind = kinds[(k - 1) % 3 + 1], region = r,
    staff = 1200, teams = 40, board = { commitment = 0.3 },
  }
end
regulator { name = "CQC", stance = "inspector" }

at(0, function()
  exemplar:strategy("qi")
  exemplar:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
  exemplar:train { tier = "practitioner", share = 0.1, project = true }
  exemplar:coaches(8)
  exemplar:protected_time(0.05)
  for _, t in ipairs(others) do
    t:train { tier = "leader", roles = { "executive", "manager" } }
    t:coaches(1)
  end
  if ARM == "academy" then r:academy { weeks = 208 } end
end)

every(13, function()
  if week() < 156 then
    for _, t in ipairs(others) do t:train { tier = "practitioner", share = 0.01, project = true } end
  end
end)

record {
  "practising_share", "knowhow", "projects_completed", "culture", "psych_safety", "reliability",
  "strain", "qi_spend_total", "support_spend_total",
  levels = { "trust", "region" }, every = 4,
}
