-- Exemplar partnership, exemplar takeover, or going alone.
--
-- Question: an exemplar trust can lend a struggling neighbour support (coaches out of its own,
-- for a fixed period, H:L306-308) or take it over: its chair, CEO, executives, central QI team
-- and method in charge (Western Sussex and Brighton, Salford and Pennine: inadequate to good in
-- about three years, H:L187, L308), at the price of a merger's disruption (set back 18 months or
-- more, B:L843). Which does the struggling trust better, and what does it cost the exemplar?
--
-- One run is one arm, the scenario argument MODE (same seed: common random numbers):
--   qisim run scenarios/partnership_takeover_alone.lua --arg mode=alone     --reps 20 --out results/pta/alone
--   qisim run scenarios/partnership_takeover_alone.lua --arg mode=partner   --reps 20 --out results/pta/partner
--   qisim run scenarios/partnership_takeover_alone.lua --arg mode=takeover  --reps 20 --out results/pta/takeover
--   qisim compare results/pta/alone results/pta/partner --level trust
--
-- Design: four regions, each with an exemplar (3,000 staff, 110 teams; culture 0.7, board 0.85,
-- enabling, data 0.6, outstanding; QI as its method, leaders trained, 10 coaches, a central team of
-- 6, 5% protected time, practitioner courses) and a struggling neighbour (3,000 staff; board 0.2,
-- command, culture 0.2, reliability 0.44, finance pressure 0.6, rated inadequate) that runs a
-- modest programme in every arm (QI as the method, executives and managers on the leader
-- programme, 2 coaches, a practitioner course with a project for 1% of staff a quarter).
--   alone:    nothing more.
--   partner:  exemplar:support(t, { weeks = 156 }) at week 0: up to interorg.partner_coaches of
--             the exemplar's coaches for three years, lost to the exemplar meanwhile.
--   takeover: exemplar:take_over(t) at week 0.
-- An inspecting regulator; special measures off to isolate the support. Five years (260 weeks).
-- Look at (trust level): the struggling trusts' rating, culture, practising_share, board_commitment,
-- strain and reliability; the exemplars' practising_share, culture and coaches_lent.
-- Model, 20 reps (the commands above, seed 1; rerun on commit cfb3c75, after tenure began to
-- advance in the workforce's phase and with the third calibration's defaults), the 4 struggling
-- trusts pooled (80 per arm), alone / partner / takeover:
--   - board_commitment 0.61 / 0.71 / 0.82 at w52, 0.59 / 0.61 / 0.70 at w260.
--   - a takeover is worse before better (B:L843): strain 0.34 / 0.35 / 0.54 and reliability
--     0.432 / 0.432 / 0.385 at w52, practising_share 0.050 / 0.051 / 0.032 at w104; by w260
--     strain 0.30 / 0.30 / 0.27, reliability 0.439 / 0.439 / 0.440.
--   - culture 0.26 / 0.27 / 0.33 and psych_safety 0.41 / 0.41 / 0.52 at w260 (Struggling 1,
--     takeover - alone: culture +0.078, 95% CI 0.048-0.109; psych_safety +0.117, CI 0.085-0.150;
--     partner - alone: culture -0.007, CI -0.024 to 0.010; practising_share +0.004, CI -0.000
--     to 0.008).
--   - rating 1.31 / 1.33 / 2.05 at w52, 2.01 / 2.09 / 2.30 at w260; good or better at w260 in
--     25% / 30% / 44% (the takeover's new board counts in the well-led part of the score at once).
--   - practising_share stays low in every arm (0.045-0.052 at w260): rated inadequate under an
--     inspector, the struggling trusts spend much of their discretionary QI time on assurance.
--   - the exemplars lend 6 of their 10 coaches (for 3 years, or throughout after a takeover) and
--     keep their course: practising_share 0.93 in every arm, culture 0.79-0.80 at w260.
-- Known gap: a partnership that only lends coaches to a trust with no time to use them adds
--   nothing measurable beyond board commitment; there are no learning visits (issue 9).

local MODE = arg("mode", "alone")
if MODE ~= "alone" and MODE ~= "partner" and MODE ~= "takeover" then
  error("mode must be alone, partner or takeover, not " .. tostring(MODE))
end

scenario { name = "Partnership, takeover or alone: " .. MODE, weeks = 260 }

local exemplars, struggling = {}, {}
for k = 1, 4 do
  local r = region { name = "Region " .. k }
  exemplars[k] = trust {
    name = "Exemplar " .. k, kind = "acute", region = r, staff = 3000, teams = 110,
    board = { commitment = 0.85, style = "enabling" }, culture = 0.7, data_maturity = 0.6,
    reliability = 0.6, rating = "outstanding",
  }
  struggling[k] = trust {
    name = "Struggling " .. k, kind = "acute", region = r, staff = 3000, teams = 110,
    board = { commitment = 0.2, style = "command" }, culture = 0.2, reliability = 0.44,
    finance_pressure = 0.6, rating = "inadequate",
  }
end

regulator { name = "CQC", stance = "inspector" }
param("regulation.special_measures", false)

at(0, function()
  for k = 1, 4 do
    local ex, t = exemplars[k], struggling[k]
    ex:strategy("qi")
    ex:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
    ex:train { tier = "practitioner", share = 0.1, project = true }
    ex:train { tier = "awareness", share = 0.5 }
    ex:induction("awareness")
    ex:coaches(10)
    ex:central_team(6)
    ex:protected_time(0.05)

    t:strategy("qi")
    t:train { tier = "leader", roles = { "executive", "manager" } }
    t:coaches(2)

    if MODE == "partner" then ex:support(t, { weeks = 156 }) end
    if MODE == "takeover" then ex:take_over(t) end
  end
end)

every(13, function()
  for k = 1, 4 do
    exemplars[k]:train { tier = "practitioner", share = 0.01, project = true }
    local t = struggling[k]
    if t:strategy() == "qi" then t:train { tier = "practitioner", share = 0.01, project = true } end
  end
end)

record {
  "rating", "culture", "practising_share", "board_commitment", "psych_safety", "strain", "reliability",
  "harm_rate", "projects_completed", "coaches_lent", "qi_spend_total", "assurance",
  levels = { "trust" }, every = 4,
}
