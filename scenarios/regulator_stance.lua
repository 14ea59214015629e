-- Regulator as inspector vs regulator as improvement partner, across a region of 24 trusts.
--
-- Question: does a regulator that works as an improvement partner (relational, building trust
-- over about a year, B:L437-508) rather than as an inspector (hierarchical accountability,
-- which drives assurance over improvement, B:L429-433, L1461) change a region's improvement
-- capability, care, ratings and staff strain over eight years?
--
-- One run has one regulator stance, so the arm is the scenario argument STANCE (same seed:
-- common random numbers; a number 0..1 also works; the default is "inspector"):
--   qisim run scenarios/regulator_stance.lua --arg stance=inspector --reps 20 --out results/regulator_stance/inspector
--   qisim run scenarios/regulator_stance.lua --arg stance=partner   --reps 20 --out results/regulator_stance/partner
--   qisim compare results/regulator_stance/inspector results/regulator_stance/partner --level region
--
-- Design: one region of 24 trusts (acute, mental health, community; 1,200-1,900 staff, teams of
-- about 30) differing on a fixed pattern in board (0.2-0.5), culture (0.2-0.4), reliability
-- (0.48-0.60), data and finance. Eight (every third) start a QI programme at week 0 (QI as the
-- method, executives and managers on the leader programme, 3 coaches, a practitioner course with
-- a project for 1% of staff a quarter while QI stays their method; usual CEO churn, so most
-- are dropped: 26 of 40 in both arms over 5 replicates). The other 16 boards decide for themselves.
-- All 24 form a peer network (interorg.relational). One rating regulator with
-- demands 0.3 and special measures in both arms. Eight years (416 weeks).
--
-- Look at (region level, inspector vs partner). Model, 5 reps (the commands above with --reps 5,
-- seed 1):
--   - regulatory_load 0.30-0.31 throughout vs 0.27 / 0.25 / 0.22 / 0.15 at w12 / w24 / w52 / w416
--     (regulation.partner_relief, regulation.trust_weeks); strain 0.253 vs 0.190 at w416;
--     turnover 0.34 vs 0.32 (paired interval -0.06 to 0.02: no clear difference).
--   - at w416: practising_share 0.059 vs 0.097, projects_completed 1833 vs 2677, psych_safety
--     0.50 vs 0.60, culture 0.356 vs 0.399, board_commitment 0.53 vs 0.57 (data used for
--     learning, C:L479). No difference in practice before ~w24 (0.011 in both).
--   - boards that decide for themselves (the 16 without an imposed programme, docs/ODD.md 7.4)
--     adopt QI 43 vs 46 times over the 5 replicates; a new CEO drops a programme 40 vs 44 times.
--   - reliability 0.553 vs 0.561, harm_rate 0.099 vs 0.098; mean rating 2.89 vs 2.97; trusts
--     good or outstanding 81% vs 88% (trust level); in special measures 0.4 vs 0.2 trusts.
--   - qi_spend GBP 474k vs 532k a week at w416 (the adopting boards invest).
-- Known gap: the partner's relief starts at once (load -0.03 by w12), not after ~6 months
--   (MODEL.md M9), because relational trust moves towards the stance from week 0 with a
--   52-week time constant rather than after a lag.

local STANCE = arg("stance", "inspector")

scenario { name = "Regulator stance: " .. tostring(STANCE), weeks = 416 }

local north = region { name = "Region" }

local kinds = { "acute", "acute", "mental_health", "community" }
local ratings = { "requires_improvement", "good", "requires_improvement", "inadequate",
                  "good", "requires_improvement" }
local programme = {}
for k = 1, 24 do
  local staff = 1200 + 100 * (k * 5 % 8)
  local t = trust {
    name = string.format("Trust %02d", k), kind = kinds[(k - 1) % 4 + 1], region = north,
    staff = staff, teams = staff // 30,
    board = { commitment = 0.2 + 0.3 * ((k * 7) % 10) / 9, style = 0.25 + 0.3 * ((k * 3) % 7) / 6 },
    culture = 0.2 + 0.2 * ((k * 5) % 9) / 8,
    reliability = 0.48 + 0.12 * ((k * 11) % 13) / 12,
    data_maturity = 0.2 + 0.3 * ((k * 2) % 5) / 4,
    finance_pressure = 0.3 + 0.4 * ((k * 3) % 11) / 10,
    rating = ratings[(k - 1) % 6 + 1],
  }
  if k % 3 == 0 then programme[#programme + 1] = t end
end

local cqc = regulator { name = "CQC", stance = STANCE, demands = 0.3 }

peer_network { trusts = trusts() }

at(0, function()
  for _, t in ipairs(programme) do
    t:strategy("qi")
    t:train { tier = "leader", roles = { "executive", "manager" } }
    t:coaches(3)
  end
end)
every(13, function()
  for _, t in ipairs(programme) do
    if t:strategy() == "qi" then t:train { tier = "practitioner", share = 0.01, project = true } end
  end
end)

record {
  "regulatory_load", "strain", "turnover", "practising_share", "projects_completed",
  "psych_safety", "culture", "board_commitment", "reliability", "harm_rate", "rating",
  "special_measures", "qi_spend",
  levels = { "trust", "region" }, every = 4,
}
