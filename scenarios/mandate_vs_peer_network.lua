-- A mandated national QI programme vs a peer-led network with the same resources.
--
-- Question: national programmes framed as mandated, top-down requirements carry less weight
-- with clinicians than clinically led, peer-led ones (B:L856; B:L730-732: Matching Michigan
-- failed where the socially spread Michigan programme worked; R:L3108-3128: shared identity
-- and lateral ties lower the threshold to adopt). With the same training and coaching
-- offered to every trust, does a peer-led network spread QI practice further, and does the
-- difference last after the programme ends?
--
-- One run has one national programme (it frames QI for every trust), so the arm is the
-- scenario argument PROGRAMME below, and the two arms are two runs with the same seed:
--
--   qisim run scenarios/mandate_vs_peer_network.lua --arg programme=mandated  --reps 20 --out results/national/mandated
--   qisim run scenarios/mandate_vs_peer_network.lua --arg programme=peer_led  --reps 20 --out results/national/peer_led
--
-- (Without --arg the programme is "mandated".) Then compare the arms:
--
--   qisim compare results/national/mandated results/national/peer_led --level region
--
-- Design: one region of 12 trusts (acute, mental health, community; 1,500-2,600 staff,
-- teams of about 30; board commitment 0.3, the engine's usual trust otherwise), an inspecting
-- regulator. At week 0 a three-year national programme starts (national_programme{ weeks =
-- 156, mandated = ... }). Its resources are identical in both arms: in every trust the
-- executives and managers go on the leader programme at week 0, 3 coaches are funded for the
-- three years, and a practitioner course with a project takes 1% of staff every quarter.
--   "mandated": national_programme{ mandated = true } (top-down framing raises every staff
--     member's adoption threshold while it runs: spread.mandate_framing).
--   "peer_led": national_programme{ mandated = false } (a shared, clinically led identity
--     lowers thresholds: spread.peer_led_framing) and the 12 trusts form a peer network
--     (they see each other's practice: spread.peer_orgs, leadership.peers).
-- Neither arm changes the trusts' declared strategy. Six years (312 weeks): three with the
-- programme, three after it (coaches and courses stop at week 156).
--
-- Look at (region level, mandated run against peer-led run):
--   - practising_share, projects_completed: more spread under the peer-led arm while the
--     programme runs; whether the gap lasts after week 156.
--   - board_commitment, psych_safety, culture: the slower consequences.
--   - reliability, harm_rate, rating: whether it reaches patients within six years.
--   - qi_spend: the same in both arms (equal resources, MODEL.md M12 "must not": a mandated
--     programme must not beat a clinically led one with equal resources).

local PROGRAMME = arg("programme", "mandated")
if PROGRAMME ~= "mandated" and PROGRAMME ~= "peer_led" then
  error("--arg programme must be mandated or peer_led, not " .. tostring(PROGRAMME))
end

scenario { name = "National programme: " .. PROGRAMME, weeks = 312 }

local r = region { name = "Region" }

local kinds = { "acute", "mental_health", "community" }
local all = {}
for k = 1, 12 do
  local staff = 1500 + 100 * ((k * 7) % 12)
  all[k] = trust {
    name = string.format("Trust %02d", k), kind = kinds[(k - 1) % 3 + 1], region = r,
    staff = staff, teams = staff // 30, board = { commitment = 0.3 },
  }
end

regulator { name = "CQC", stance = "inspector" }

at(0, function()
  national_programme { weeks = 156, mandated = PROGRAMME == "mandated" }
  if PROGRAMME == "peer_led" then peer_network { trusts = all } end
  for _, t in ipairs(all) do
    t:train { tier = "leader", roles = { "executive", "manager" } }
    t:coaches(3)
  end
end)

every(13, function()
  if week() < 156 then
    for _, t in ipairs(all) do t:train { tier = "practitioner", share = 0.01, project = true } end
  end
end)

at(156, function()
  for _, t in ipairs(all) do t:coaches(0) end
end)

record {
  "practising_share", "formally_trained_share", "projects_completed", "board_commitment",
  "psych_safety", "culture", "reliability", "harm_rate", "rating", "strain", "qi_spend_total",
  levels = { "trust", "region" }, every = 4,
}
