-- Does coaching or protected time matter more for turning training into practice?
-- Design: scenarios/training_alone_vs_coaching.lua (three trusts: training alone, + coaching,
-- + coaching and protected time) under a full factorial of the coaching odds ratio (damped
-- as in the model) and the discretionary time staff have for QI, 10 replicates a point.
-- Look at: summaries of practising_share and reliability per trust at the last week;
-- compare points with `qisim export results/coaching_vs_training/results.sqlite`.
experiment {
  name = "coaching_vs_training",
  scenario = "scenarios/training_alone_vs_coaching.lua",
  replicates = 10,
  seed = 1,
  design = "full",
  factors = {
    { param = "training.or_coaching", levels = { 1, 2.19, 4.38 } },
    { param = "time.discretionary", levels = { 0.01, 0.03, 0.06 } },
  },
  outcomes = { "practising_share", "reliability", "qi_spend_total" },
}
