-- Organisation-wide QI journey: ten years in one trust, next to a comparison trust.
--
-- Question: what does a sustained, organisation-wide QI programme look like year by year? How
-- fast does capability spread, when do the first project gains show, how long does the culture
-- take to embed, and what does it cost, against a similar trust that carries on as usual?
--
-- Design: an inspecting regulator, two mental-health trusts of 4,000 staff and 150 teams built
-- alike (board 0.45, data maturity 0.3, culture 0.3). "Journey" follows the case trusts (C:L186,
-- L336, L495-502; H:L50-57, L262-266, L314): week 0 QI as the method, leader programme for
-- executives, managers and team leaders (C:L336, L511), leadership development, central team of
-- 6, 8 coaches, data investment; a practitioner course with a project for 1% of staff a quarter
-- (H:L134, L142); awareness for a fifth of staff a year, at induction from year 1; 5% protected
-- time from w26 (C:L411); more data investment at w104 (H:L364-366); courses only while QI stays
-- the method. "Comparison" does nothing new. Leadership held stable (leadership.ceo_tenure = 30;
-- C:L202, H:L252; 2.5 restores the usual churn, see ceo_change.lua). Ten years (520 weeks).
--
-- Look at (trust level, Journey [Comparison]). Model, 5 reps (qisim run
-- scenarios/trust_journey.lua --reps 5, seed 1; rerun on commit cfb3c75, after tenure began to
-- advance in the workforce's phase and with the third calibration's defaults):
--   - formally_trained_share 0.074 at w12 (the leader programme alone passes B:L3947's 5%), 0.11
--     at year 2, 0.19 at year 10 [under 0.001: trainees who rotate in from Journey, the same
--     region]; practising_share 0.11 / 0.44 / 0.79 at years 1 / 2 / 3, 0.88-0.90 from year 5
--     [0.01-0.02 from year 3, spread from those trainees]: most practice spreads informally
--     beyond the trained.
--   - projects_completed: first adopted change at w24 (3/5 replicates), w28 or w32.
--   - culture (embeds after 5-10 years, C:L224): 0.37 at year 2, 0.51 at year 5, passes
--     culture.embedded (0.6) at w284-464 (5.5-8.9 years) in all 5 replicates, 0.68 at year 10
--     [0.29-0.31: the comparison stays near its usual level]. Embedding now falls within C:L224's
--     range every time (on 8bf9b8f the earliest, w256, came a few weeks before five years). The
--     latest (w464) is the replicate whose programme was dropped; the one that keeps the
--     programme but gets a new CEO without QI experience at w328 is fourth (w432).
--   - board_commitment 0.93 at year 1, 0.95-1.00 from year 2 (C:L218, L228) [0.45 -> 0.29]; a
--     new CEO dropped the programme in 1/5 replicates (w153), whose culture still embeds, last
--     of the five (w464; on 8bf9b8f it was third).
--   - reliability 0.550 -> 0.579 / 0.648 / 0.708 at years 2 / 5 / 10; harm_rate 0.100 -> 0.078 /
--     0.065 at years 5 / 10 [flat, B:L801-807]; strain 0.30 -> 0.04 at year 5 [0.29-0.33]: flow
--     gains leave the workload well under the usual; rating 3.2 / 3.6 / 4.0 at years 2 / 5 / 10
--     [2.0-3.0].
--   - journey_stage (journey.c: one step per journey.dwell_weeks at most): steps 1-5 at w0, 26,
--     52, 78, 104, step 6 at w163-280 in the 4/5 replicates that keep the programme [step 1,
--     back to 0 at w52-56]. The replicate whose programme was dropped falls back a step every
--     26 weeks from w178 (step 4) to step 2 at w230, where it stays: without QI as the method
--     buy-in (step 3) fails, however much training it holds.
--   - qi_spend GBP 148k a week at years 1-2, 122-124k from year 3 (the mean falls with the
--     dropped replicate), GBP 71m over ten years (H:L316: up to 1% of turnover in US providers;
--     the model has no turnover).
-- Known gap: first gains at w24-32, not within ~3 months (C:L216, L592): PDSA pace scales with
--   QI time (projects.c) and protected time starts only at w26 (qisim validate P1, another design
--   with time from week 0, gives 11 weeks on commit cfb3c75, 20 reps: MET, docs/ODD.md §9).
-- Known gap: the journey moves up one step every 26 weeks while the board and the programme are
--   in place, so its timing is set by journey.dwell_weeks more than by the trust (docs/ODD.md
--   7.13).

scenario { name = "Organisation-wide QI journey", weeks = 520 }

param("leadership.ceo_tenure", 30)

local region_ = region { name = "North" }

local journey = trust {
  name = "Journey", kind = "mental_health", region = region_, staff = 4000, teams = 150,
  board = { commitment = 0.45, style = 0.4 }, data_maturity = 0.3, finance_pressure = 0.4,
}
trust {
  name = "Comparison", kind = "mental_health", region = region_, staff = 4000, teams = 150,
  board = { commitment = 0.45, style = 0.4 }, data_maturity = 0.3, finance_pressure = 0.4,
}

regulator { name = "CQC", stance = "inspector" }

at(0, function()
  journey:strategy("qi")
  journey:train { tier = "leader", roles = { "executive", "manager", "team_leader" } }
  journey:develop_leaders()
  journey:central_team(6)
  journey:coaches(8)
  journey:invest_data(0.2)
end)

-- The programme's later steps run only while QI is still the trust's method.
local function on_programme() return journey:strategy() == "qi" end

every(13, function()
  if on_programme() then
    journey:train { tier = "practitioner", share = 0.01, project = true, interprofessional = true }
  end
end)

every(52, function()
  if on_programme() then journey:train { tier = "awareness", share = 0.2 } end
end)

at(26, function() if on_programme() then journey:protected_time(0.05) end end)
at(52, function() if on_programme() then journey:induction("awareness") end end)
at(104, function() if on_programme() then journey:invest_data(0.2) end end)

record {
  "trained_share", "formally_trained_share", "practising_share", "projects_active",
  "projects_completed", "projects_sustained", "psych_safety", "culture", "board_commitment",
  "journey_stage", "reliability", "harm_rate", "strain", "turnover", "rating", "qi_spend",
  "qi_spend_total",
  levels = { "trust" }, every = 4,
}
