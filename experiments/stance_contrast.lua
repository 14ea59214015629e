-- Which assumptions drive the difference between a partner and an inspector regulator (not the
-- level of either)? A Morris screen whose outcome is the paired contrast of the two arms of
-- scenarios/regulator_stance.lua: every design point runs with --arg stance=inspector and
-- stance=partner on the same replicates' seeds.
--   qisim sweep experiments/stance_contrast.lua --threads 2
--   qisim sensitivity results/stance_contrast/results.sqlite --metric practising_share --level region --entity Region
-- The factors are sizes the parameter table calls assumptions (qisim params --assumptions).
experiment {
  name = "stance_contrast",
  scenario = "scenarios/regulator_stance.lua",
  design = "morris",
  samples = 6,
  levels = 4,
  replicates = 2,
  seed = 1,
  arms = {
    { "inspector", args = { stance = "inspector" } },
    { "partner", args = { stance = "partner" } },
  },
  factors = {
    { param = "regulation.assurance_partner", range = { 0.05, 0.6 } },
    { param = "regulation.sm_load", range = { 0.1, 0.6 } },
    { param = "leadership.time_cut", range = { 0.5, 4 } },
    { param = "culture.safety_strain", range = { 0.1, 0.8 } },
    { param = "regulation.noise", range = { 0.02, 0.12 } },
  },
  outcomes = { "practising_share", "strain", "reliability" },
}
