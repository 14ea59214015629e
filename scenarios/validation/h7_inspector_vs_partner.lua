-- Held-out check H7 (MODEL.md §6.5): the governance signature. An inspector with sanctions lifts
-- ratings faster, with effort before inspections and a gap between rating and capability; an
-- improvement partner builds capability with slower rating gains (B:L415-534, B:L1461, H:L442).
-- Held out: nothing was fitted to it. Two defaults changed after its first run, for reasons
-- outside it: regulation.crowding 1 -> 0.5 (assurance extinguished all QI in the checkpoint test's
-- trust) and regulation.assurance_usual (0.012, measured in p6_status_quo.lua so that the usual
-- trust's calibrated QI time is unchanged); both moved the two arms alike or towards the knock-out.
-- Design: a region of 24 trusts (acute, mental health, community; 1,200-1,900 staff, teams of
-- about 30) differing on a fixed pattern in board, culture, reliability, data, finance and
-- rating, all in a peer network, every board deciding for itself; one rating regulator with
-- demands 0.3 whose stance is the arm (--arg stance=inspector | partner). Six years (312 weeks).
-- Summary statistics, inspector (I) against partner (P), same seed (common random numbers):
--   1. rating gain, mean rating at w312 minus w0 (region): I > P.
--   2. pre-inspection effort: the compliance picture at inspections (events.csv) over its mean
--      across all trust-weeks (series.csv): above 1 under I (effort peaks before an inspection),
--      and I's assurance share of the week above P's.
--   3. rating-capability gap: rating_gap at w312 (last rating minus the true score's rating):
--      I > P, I above 0.
--   4. capability built: practising_share and culture at w312: P > I.
-- Target: the four directions, each with a 95% interval of the paired difference that excludes
-- 0 (qisim compare over >= 20 replicates), from B:L429-433 (hierarchical accountability drives
-- compliance), H:L442 ("superficial displays of compliance rather than genuine efforts at
-- improvement") and B:L1461 (effort shifts from improvement to assurance).
-- Knock-out: --set regulation.gaming=0 --set regulation.assurance_max=0 (no assurance effort, no
-- compliance picture: the rating is a noisy reading of the truth).
-- Result (20 reps each, seed 1, rerun 2026-12-02; paired I - P, P - I for capability):
--   1. MET. rating 2.73 vs 2.65 at w52 (I - P 0.077, 95% CI 0.047-0.108), 2.83 vs 2.71 at w104
--      (0.115, CI 0.080-0.149), 2.90 vs 2.86 at w312 (0.033, CI 0.004-0.063): gains 0.73 vs 0.70.
--      Knock-out: reversed, P ahead (w104 -0.035, CI -0.050 to -0.021; w312 -0.113).
--   2. MET. compliance at inspections 0.426 vs its mean 0.249 (ratio 1.71); assurance in the 8
--      weeks before an inspection 0.024 vs 0.012 in weeks 4-11 after it (1,200 inspections, from
--      the weekly trust series and events.csv); assurance 0.0125 vs 0.0012 of the week at w312
--      (CI of the difference 0.0104-0.0120). Knock-out: both 0.
--   3. MET. rating_gap 0.26 vs 0.12 (0.144, CI 0.110-0.178). Knock-out: 0.06 vs 0.08 (-0.021,
--      CI -0.086 to 0.044: no difference). (A positive gap remains without gaming: good ratings
--      drawn by noise last longer before the next inspection.)
--   4. MET. practising_share 0.020 vs 0.030 (P - I 0.010, CI 0.007-0.013), culture 0.293 vs 0.334
--      (0.041, CI 0.038-0.044). Knock-out: shrinks but stays (0.007, CI 0.005-0.009; culture
--      0.035): the partner's lighter load and relational learning remain.
--   Also: strain 0.284 vs 0.216; assurance time GBP 94m vs 12m and QI spend GBP 79m vs 92m
--   over six years across the 24 trusts. Missed (not a target here): the rating-culture
--   correlation across trusts is about the same under both (0.38 vs 0.44).
-- Rerun after the staff network became the default and P2 was recalibrated (commit 9894f94:
-- regulation.gaming 0.12 -> 0.06, regulation.threshold_requires_improvement 0.33 -> 0.36, fitted
-- to P2 and not to this check), 20 reps, seed 1, I - P: rating +0.042 at w52 (CI 0.023-0.061)
-- and +0.042 at w104 (CI 0.024-0.060), but -0.040 at w312 (CI -0.075 to -0.004): statistic 1
-- is now MISSED at w312 (the partner overtakes); assurance 0.0135 vs 0.0013 of the week at w312;
-- rating_gap 0.19 vs 0.10 (0.092, CI 0.047-0.136): MET; practising_share 0.020 vs 0.031 (P - I
-- 0.010, CI 0.007-0.014) and culture 0.286 vs 0.331 (0.045, CI 0.040-0.049): MET. The knock-outs
-- and the compliance-at-inspection ratio were not rerun.
-- Rerun after the stake follows the rating lines (commit 36327e5, docs/ODD.md 7.12.1: a trust
-- weighs each rating line by its nearness to it, not its band; no number changed, set before this
-- run), 20 reps, seed 1, I - P: rating +0.042 at w52 (CI 0.020-0.064), +0.044 at w104 (CI
-- 0.021-0.067), +0.019 at w312 (CI -0.023 to +0.061): statistic 1 still MISSED at w312 (was
-- -0.040, CI -0.085 to +0.006 in validate). Knock-out (no assurance, no picture): -0.142 (CI -0.188
-- to -0.095), the partner's lighter load alone. Compliance at inspections 0.415 vs its mean 0.256
-- (ratio 1.62); assurance 0.0229 in the 8 weeks before an inspection vs 0.0129 in weeks 4-11
-- after it; assurance 0.0134 vs 0.0011 of the week at w312; rating_gap 0.21 vs 0.05 (0.158, CI
-- 0.108-0.209): MET; practising_share 0.027 vs 0.036 (P - I 0.009, CI 0.005-0.012), culture 0.293
-- vs 0.340 (0.046, CI 0.043-0.050): MET. Strain 0.285 vs 0.213; assurance time GBP 97m vs 11m, QI
-- spend GBP 86m vs 101m. Why the rating row misses (docs/ODD.md section 10 row 18d): at each
-- trust's last inspection the picture is worth +0.14 rating levels to I, the partner's higher true
-- score -0.15 (strain over half of it, from regulation.partner_relief's lighter load).
-- Rerun after regulation.partner_relief was removed (docs/ODD.md 7.12: it counted the partner's
-- lighter burden a second time beside its assurance effort; decided from the seed lines before
-- this run), 20 reps, seed 1, w312, I - P: rating +0.067 (CI 0.021-0.112): statistic 1 MET;
-- knock-out -0.056 (CI -0.085 to -0.027). Assurance 0.0134 vs 0.0012; rating_gap 0.20 vs 0.08
-- (0.119, CI 0.066-0.172): MET. Practising_share 0.027 vs 0.028 (P - I 0.002, CI -0.000 to
-- 0.004): MISSED; culture 0.292 vs 0.317 (0.025, CI 0.020-0.030). Strain 0.285 vs 0.254 (was
-- 0.214 under the partner). The compliance-at-inspection ratio was not rerun.
-- Rerun on commit 8bf9b8f (without the partner relief, and with the staff's drift in the week's
-- pass), 20 reps, seed 1, I - P: rating +0.050 at w52 (CI 0.034-0.066), +0.077 at w104 (CI
-- 0.055-0.099), +0.035 at w312 (CI -0.009 to +0.079, as qisim validate prints): statistic 1
-- MISSED again at w312 (the +0.067 measured at the removal, above, does not hold here). Knock-out
-- (no assurance, no picture): -0.029 (CI -0.055 to -0.004). Compliance at inspections 0.417 vs
-- its mean 0.256 (ratio 1.63; 1,346 inspections after week 0); assurance 0.023 in the 8 weeks
-- before an inspection vs 0.013 in weeks 4-11 after it; assurance 0.0136 vs 0.0012 of the week at
-- w312; rating_gap 0.20 vs 0.10 (0.098, CI 0.036-0.159; knock-out -0.008, CI -0.040 to +0.024):
-- MET; practising_share 0.026 vs 0.029 (P - I 0.003, CI 0.001-0.005), culture 0.286 vs 0.315
-- (0.029, CI 0.026-0.032): MET again, narrowly (knock-out: 0.001, CI -0.000 to 0.002; culture
-- 0.017). Strain 0.288 vs 0.254; assurance time GBP 98m vs 12m, QI spend GBP 84m vs 89m.
-- Rerun on commit cfb3c75 (after tenure began to advance in the workforce's phase and with the
-- third calibration's defaults), 20 reps, seed 1, I - P: rating +0.050 at w52 (CI 0.034-0.066),
-- +0.079 at w104 (CI 0.058-0.100), +0.046 at w312 (CI 0.007-0.085, as qisim validate prints):
-- statistic 1 MET again at w312 (it was MISSED on 8bf9b8f). Knock-out (no assurance, no
-- picture): -0.042 (CI -0.072 to -0.011). Compliance at inspections 0.416 vs its mean 0.256
-- (ratio 1.62; 1,344 inspections after week 0); assurance 0.023 in the 8 weeks before an
-- inspection vs 0.013 in weeks 4-11 after it; assurance 0.0137 vs 0.0012 of the week at w312;
-- rating_gap 0.19 vs 0.09 (0.100, CI 0.046-0.154; knock-out -0.017, CI -0.045 to +0.011): MET;
-- practising_share 0.026 vs 0.029 (P - I 0.004, CI 0.002-0.006), culture 0.287 vs 0.313 (0.026,
-- CI 0.023-0.030): MET, narrowly (knock-out: 0.001, CI -0.001 to 0.003; culture 0.016). Strain
-- 0.289 vs 0.254; assurance time GBP 98m vs 12m, QI spend GBP 84m vs 89m. All four MET.
--   qisim run scenarios/validation/h7_inspector_vs_partner.lua --arg stance=inspector --reps 20 --out results/h7/i
--   qisim run scenarios/validation/h7_inspector_vs_partner.lua --arg stance=partner --reps 20 --out results/h7/p
--   qisim compare results/h7/i results/h7/p --level region
local STANCE = arg("stance", "inspector")
scenario { name = "H7 inspector vs partner: " .. tostring(STANCE), weeks = 312 }
local r = region { name = "Region" }
local kinds = { "acute", "acute", "mental_health", "community" }
local ratings = { "requires_improvement", "good", "requires_improvement", "inadequate", "good",
                  "requires_improvement" }
for k = 1, 24 do
  local staff = 1200 + 100 * (k * 5 % 8)
  trust {
    name = string.format("Trust %02d", k), kind = kinds[(k - 1) % 4 + 1], region = r,
    staff = staff, teams = staff // 30,
    board = { commitment = 0.2 + 0.3 * ((k * 7) % 10) / 9, style = 0.25 + 0.3 * ((k * 3) % 7) / 6 },
    culture = 0.2 + 0.2 * ((k * 5) % 9) / 8,
    reliability = 0.48 + 0.12 * ((k * 11) % 13) / 12,
    data_maturity = 0.2 + 0.3 * ((k * 2) % 5) / 4,
    finance_pressure = 0.3 + 0.4 * ((k * 3) % 11) / 10,
    rating = ratings[(k - 1) % 6 + 1],
  }
end
regulator { name = "CQC", stance = STANCE, demands = 0.3 }
peer_network { trusts = trusts() }
record {
  "rating", "rating_gap", "assurance", "compliance", "practising_share", "culture", "knowhow",
  "reliability", "strain", "relational_trust", "special_measures", "inspections", "qi_spend_total",
  "assurance_spend_total", "support_spend_total",
  levels = { "trust", "region" }, every = 1,
}
