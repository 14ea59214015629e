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
-- Model, 5 reps (the commands above with --reps 5, seed 1; rerun on commit cfb3c75, after
-- tenure began to advance in the workforce's phase and with the third calibration's defaults;
-- since issue 8 champions' commitment fades,
-- training.champion_fade_weeks, and the peer-led programme's quarterly meetings renew it,
-- interorg.champion_renewal; the mandated arm has no champions):
--   - practising_share 0.042 vs 0.123 at w156; 0.019 vs 0.167 at w312 (+0.148, 95% CI 0.137
--     to 0.159). Thin random places disintegrate once courses and coaches stop, and the
--     mandate's assurance takes QI time; the champions hold practice and their contacts adopt.
--   - projects_completed 560 vs 1940 (+1380, CI 1350 to 1409); culture 0.362 vs 0.458 (+0.096,
--     CI 0.074 to 0.117); board_commitment 0.76 vs 0.95; psych_safety 0.46 vs 0.54; strain
--     0.260 vs 0.203.
--   - reliability 0.552 vs 0.566, harm_rate 0.100 vs 0.096; rating 3.00 vs 3.17 (+0.17, CI 0.02
--     to 0.31: clear again in 5 replicates, where on 8bf9b8f it was +0.25, CI -0.05 to +0.55);
--     qi_spend_total GBP 14.06m vs 14.11m (near-equal spend; MODEL.md M12); champions
--     themselves cost nothing.
--   - formally_trained_share 0.072 vs 0.060: hubs are trained first and some of them leave.
--   - champions tire: per replicate about 470 champions step down while the programme runs
--     (the meetings renew the rest, and an opinion leader who stepped down can be designated
--     again at the next quarter: 1,506 designations against 1,091 with commitment that never
--     fades) and about 580 in the three years after it ends, with no meetings. Against the
--     knock-out --set training.champion_fade_weeks=0 (never-lapsing champions): practising
--     -0.000 at w156 (CI -0.007 to +0.007), -0.002 at w208, -0.009 at w312 (CI -0.022 to
--     +0.005); projects -30 (CI -143 to +82): the fading's cost at w312 is no longer clear in 5
--     replicates (on 8bf9b8f it was -0.015, CI -0.021 to -0.008).
--   - the champions' network of ties itself adds little: peer-led with against without it (--set
--     interorg.champion_ties=0) practising +0.002 at w156 (CI -0.001 to +0.006), +0.001 at w312
--     (CI -0.011 to +0.013). Its ties reach teams that already have a champion as their core.
-- Knock-outs (same seeds, mandated vs peer-led practising_share at w312):
--   - without champions (--arg champions=0): 0.019 vs 0.104 (+0.085, CI 0.072 to 0.098).
--   - without the network (--arg network=0): 0.039 vs 0.131 (+0.092, CI 0.077 to 0.107) with
--     champions, 0.039 vs 0.109 (+0.070, CI 0.059 to 0.080) without: on team shares the arms
--     still differ, through the mandate's assurance and framing. The network adds to the
--     contrast either way (most with champions: +0.148 against +0.092).
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
