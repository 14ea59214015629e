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
-- for interorg.visit_weeks, interorg.visit_days per visitor), at interorg.academy_cost per trust
-- a week paid by the region (support_spend_total). Six years (312 weeks).
-- Knock-outs: --set interorg.visit_learning=0 (visits carry ties only), --set network.on=0 (no
-- ties: visits carry know-how only).
--
-- Look at (region level, alone vs academy, paired differences from qisim compare). Model, 10
-- reps (the commands above with --reps 10, seed 1; branch region, issue 8 item 6):
--   - practising_share 0.098 vs 0.106 at w104 (+0.008, 95% CI 0.004 to 0.011), 0.127 vs 0.158
--     at w208 (+0.031, CI 0.025 to 0.037), 0.123 vs 0.161 at w312 (+0.037, CI 0.029 to 0.045):
--     the gap keeps growing for two years after the academy closes. knowhow 0.143 vs 0.173.
--   - projects_completed 1032 vs 1125 by w312 (+93, CI 55 to 132); psych_safety +0.009 (CI
--     0.003 to 0.015); reliability 0.570 vs 0.573 (+0.003, CI 0.001 to 0.005); strain 0.219 vs
--     0.210; culture 0.445 vs 0.451 (CI -0.002 to +0.015: no clear difference in six years).
--   - cost: the academy GBP 1.63m paid by the region (support_spend_total: 8 trusts x 208 weeks x
--     interorg.academy_cost, an assumption), and GBP 0.40m of the trusts' own QI spend (the
--     visitors' days: qi_spend_total 24.5m vs 24.9m).
-- Knock-outs (same seeds, alone vs academy, practising_share at w312):
--   - --set interorg.visit_learning=0 (ties, no know-how): -0.008 (CI -0.015 to -0.001): the
--     visitors' days cost time and the ties alone convert nobody who does not know enough.
--   - --set network.on=0 (know-how and the region's peer support, no ties): +0.045 (CI 0.029 to
--     0.060), as large as the full contrast. The know-how a visit carries home does the work.
-- Known gap: the visitors learn a fixed share of the gap to their hosts (interorg.visit_learning,
--   an assumption); nothing is copied or adapted (C:L272), and the hosts lose nothing.

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
