-- A mandated national QI programme vs a peer-led network with the same resources.
--
-- Question: mandated, top-down national programmes carry less weight with clinicians than
-- clinically led, peer-led ones (B:L856; B:L730-732: Matching Michigan failed where the socially
-- spread Michigan programme worked; R:L3108-3128: shared identity and lateral ties lower the
-- threshold to adopt). With equal training and coaching, does a peer-led network spread QI
-- practice further, and does the difference last after the programme ends?
--
-- One run has one national programme, so the arm is the scenario argument PROGRAMME:
--   qisim run scenarios/mandate_vs_peer_network.lua --arg programme=mandated  --reps 20 --out results/national/mandated
--   qisim run scenarios/mandate_vs_peer_network.lua --arg programme=peer_led  --reps 20 --out results/national/peer_led
--   qisim compare results/national/mandated results/national/peer_led --level region
-- (Without --arg the programme is "mandated".)
--
-- Design: one region of 12 trusts (acute, mental health, community; 1,500-2,600 staff, teams of
-- about 30; board 0.3), an inspecting regulator, and a staff network (network{}: 8 ties within
-- the team, 2 across the trust, 1 across the region). Week 0: a three-year national programme;
-- in every trust the executives and managers go on the leader programme, 3 coaches to week 156,
-- and every quarter to week 156 a practitioner course with a project for 1% of the staff not yet
-- trained: the same places and spend in both arms. The arms differ in process, not only framing:
--   "mandated": the places go to staff at random across every team, adoption thresholds rise
--     while it runs (spread.mandate_framing), and it adds assurance effort against its measures
--     and compliance (regulation.mandate_assurance), which takes QI time and capacity;
--   "peer_led": the places go to the best-connected staff (who = "connected": opinion leaders
--     are hubs), the opinion leaders who know enough become committed champions (t:champions),
--     thresholds fall (spread.peer_led_framing) and the trusts form a peer network; and at each
--     of the programme's quarterly meetings (interorg.event_weeks) every champion is tied, until
--     the next, to interorg.champion_ties (2) members of other trusts' champions' teams: lateral
--     support between the units taking part (B:L730; its absence in the UK, B:L732), and
--     regains commitment (interorg.champion_renewal, C:L254), which fades between meetings and
--     after the programme; a champion whose commitment has gone steps down (ODD 7.6.2).
-- On the network, practice reaches a member through their own contacts; a practiser with no
-- practising contact, or none who is an opinion leader or champion, lapses faster (R:L3117-3128).
-- No declared strategy changes. Six years (312 weeks).
-- Knock-outs: --arg network=0 (no ties: team shares as before), --arg champions=0, --set
-- interorg.champion_ties=0 (champions, but no network of them across trusts), --set
-- training.champion_fade_weeks=0 (champions whose commitment never fades).
--
-- Look at (region level, mandated vs peer-led; paired differences from qisim compare).
-- Model, 5 reps (the commands above with --reps 5, seed 1; rerun on commit 8bf9b8f, with the
-- staff's drift in the week's pass; since issue 8 champions' commitment fades,
-- training.champion_fade_weeks, and the peer-led programme's quarterly meetings renew it,
-- interorg.champion_renewal; the mandated arm has no champions):
--   - practising_share 0.046 vs 0.126 at w156; 0.023 vs 0.171 at w312 (+0.148, 95% CI 0.129
--     to 0.167). Thin random places disintegrate once courses and coaches stop, and the
--     mandate's assurance takes QI time; the champions hold practice and their contacts adopt.
--   - projects_completed 633 vs 1989 (+1356, CI 1258 to 1455); culture 0.371 vs 0.467 (+0.096,
--     CI 0.082 to 0.111); board_commitment 0.80 vs 0.95; psych_safety 0.47 vs 0.54; strain
--     0.257 vs 0.199.
--   - reliability 0.553 vs 0.567, harm_rate 0.099 vs 0.096; rating 2.95 vs 3.20 (+0.25, CI -0.05
--     to +0.55: no longer clear in 5 replicates); qi_spend_total GBP 14.06m vs 14.10m
--     (near-equal spend; MODEL.md M12); champions themselves cost nothing.
--   - formally_trained_share 0.072 vs 0.061: hubs are trained first and some of them leave.
--   - champions tire: per replicate about 480 champions step down while the programme runs
--     (the meetings renew the rest, and an opinion leader who stepped down can be designated
--     again at the next quarter: 1,529 designations against 1,085 with commitment that never
--     fades) and about 590 in the three years after it ends, with no meetings. Against the
--     knock-out --set training.champion_fade_weeks=0 (never-lapsing champions): practising
--     -0.002 at w156 (CI -0.005 to +0.001), -0.003 at w208, -0.015 at w312 (CI -0.021 to
--     -0.008); projects -42 (CI -141 to +57).
--   - the champions' network of ties itself adds little: peer-led with against without it (--set
--     interorg.champion_ties=0) practising +0.003 at w156 (CI 0.001 to 0.005), +0.003 at w312
--     (CI -0.003 to +0.008). Its ties reach teams that already have a champion as their core.
-- Knock-outs (same seeds, mandated vs peer-led practising_share at w312):
--   - without champions (--arg champions=0): 0.023 vs 0.114 (+0.091, CI 0.074 to 0.108).
--   - without the network (--arg network=0): 0.044 vs 0.139 (+0.095, CI 0.082 to 0.107) with
--     champions, 0.044 vs 0.118 (+0.074, CI 0.066 to 0.082) without: on team shares the arms
--     still differ, through the mandate's assurance and framing. The network adds to the
--     contrast either way (most with champions: +0.148 against +0.095).
-- Known gap: champions' commitment fades at one rate for all and only the national
--   programme's meetings renew it (both sizes are assumptions); they carry about two-fifths of
--   the full contrast; the network and where the places go carry the rest.

local PROGRAMME = arg("programme", "mandated")
if PROGRAMME ~= "mandated" and PROGRAMME ~= "peer_led" then
  error("--arg programme must be mandated or peer_led, not " .. tostring(PROGRAMME))
end
local PEER_LED = PROGRAMME == "peer_led"
-- Knock-outs: --arg network=0 (spread by team shares, no ties), --arg champions=0 (peer-led
-- without committed champions).
local NETWORK = arg("network", 1) ~= 0
local CHAMPIONS = arg("champions", 1) ~= 0

scenario { name = "National programme: " .. PROGRAMME, weeks = 312 }

-- Spread runs through ties: clustered teams, lateral ties across each trust and a few across
-- the region; a member adopts when enough of their own contacts practise (network.rule
-- "fraction", the default).
network { on = NETWORK, within = 8, across = 2, region = 1 }

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

-- The same number of practitioner places each quarter in both arms: 1% of the staff not yet
-- trained. The mandated programme spreads them across everyone at random; the peer-led one gives
-- them to the best-connected staff (opinion leaders are hubs, network.hub), and its opinion
-- leaders who know enough to practise become committed champions.

at(0, function()
  national_programme { weeks = 156, mandated = not PEER_LED }
  if PEER_LED then peer_network { trusts = all } end
  for _, t in ipairs(all) do
    t:train { tier = "leader", roles = { "executive", "manager" } }
    t:coaches(3)
  end
end)

every(13, function()
  if week() < 156 then
    for _, t in ipairs(all) do
      if PEER_LED and NETWORK then
        t:train { tier = "practitioner", share = 0.01, who = "connected", project = true }
      else
        t:train { tier = "practitioner", share = 0.01, project = true }
      end
      if PEER_LED and CHAMPIONS then t:champions { who = "opinion_leaders" } end
    end
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
