-- Regulator as inspector vs regulator as improvement partner, across a region of 24 trusts.
--
-- Question: does a regulator that works as an improvement partner (relational, building
-- trust over about a year, B:L437-508) rather than as an inspector (hierarchical
-- accountability, which drives assurance over improvement, B:L429-433, L1461) change a
-- region's improvement capability, care, ratings and staff strain over eight years?
--
-- One run has one regulator stance (the regulator acts on every trust), so the stance is the
-- scenario argument STANCE below, and the two arms are two runs with the same seed:
--
--   qisim run scenarios/regulator_stance.lua --arg stance=inspector --reps 20 --out results/regulator_stance/inspector
--   qisim run scenarios/regulator_stance.lua --arg stance=partner   --reps 20 --out results/regulator_stance/partner
--
-- (Without --arg the stance is "inspector". A number 0..1 between the two also works.)
-- Then compare the arms, replicate by replicate (same seed: common random numbers):
--
--   qisim compare results/regulator_stance/inspector results/regulator_stance/partner --level region
--
-- Design: one region, 24 trusts (acute, mental health and community; 1,200-1,900 staff,
-- teams of about 30) that differ in board commitment (0.2-0.5), culture (0.2-0.4), care
-- reliability (0.48-0.60), data maturity and financial pressure, on a fixed pattern so
-- every replicate has the same region. Eight of them (every third) start a QI programme at
-- week 0 (QI as the method, executives and managers on the leader programme, 3 coaches, a
-- practitioner course with a project for 1% of staff every quarter, for as long as QI stays
-- their method: the usual CEO churn is kept, and a new CEO may drop a young programme); the
-- other sixteen do nothing deliberate. All 24 belong to a regional peer network (learning between trusts,
-- which relational trust with the regulator strengthens: interorg.relational). One rating
-- regulator with the usual demands (0.3), inspecting on its cadence and applying special
-- measures in both arms. Eight years (416 weeks).
--
-- Look at (region level, inspector run against partner run):
--   - regulatory_load (the partner's relief, regulation.partner_relief, after about a year of
--     relational trust, regulation.trust_weeks; nothing should differ in the first ~6 months,
--     MODEL.md M9), strain, turnover.
--   - practising_share, projects_completed, psych_safety, culture: more capacity and less fear
--     should mean more improvement (B:L437-508; data used for learning, C:L479).
--   - reliability, harm_rate: care; rating (mean) and special_measures (count of trusts);
--     at trust level the distribution of ratings (share of trusts good or outstanding).
--   - qi_spend: the programmes cost the same in both arms.

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
