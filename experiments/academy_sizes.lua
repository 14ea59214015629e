-- How much does a regional academy's gain depend on the sizes the parameter table calls
-- assumptions: hosts per learning visit, days a visit takes of each visitor and host, and weeks
-- between learning events? A full design whose outcome is the paired contrast of the two arms
-- of scenarios/regional_academy.lua (alone, academy) on the same replicates' seeds.
--   qisim sweep experiments/academy_sizes.lua --threads 2
-- docs/experiments.md section 3 (the academy's sizes) reads the contrast from the database.
experiment {
  name = "academy_sizes",
  scenario = "scenarios/regional_academy.lua",
  design = "full",
  replicates = 5,
  seed = 1,
  arms = {
    { "alone", args = { arm = "alone" } },
    { "academy", args = { arm = "academy" } },
  },
  factors = {
    { param = "interorg.visit_hosts", levels = { 1, 2, 4, 8 } },
    { param = "interorg.visit_days", levels = { 0.5, 1, 3 } },
    { param = "interorg.event_weeks", levels = { 6, 13, 26 } },
  },
  outcomes = { "practising_share", "strain", "qi_spend_total" },
}
