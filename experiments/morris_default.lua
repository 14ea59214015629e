-- Which assumptions drive the default scenario's five-year outcomes?
-- Design: Morris elementary effects (10 trajectories, 4 levels) over six parameters that are
-- assumptions in docs/parameters.md, 5 replicates a point (common random numbers), on
-- scenarios/default.lua. Then:
--   qisim sensitivity results/morris_default/results.sqlite --metric reliability
--   qisim sensitivity results/morris_default/results.sqlite --metric practising_share
-- Look at: mu_star ranks influence; sigma large against mu_star means interactions.
experiment {
  name = "morris_default",
  scenario = "scenarios/default.lua",
  design = "morris", samples = 10, levels = 4,
  replicates = 5, seed = 1,
  factors = {
    { param = "training.conversion", range = { 0.06, 0.2 } },
    { param = "spread.informal_learning", range = { 0.02, 0.3 } },
    { param = "build.threshold_mean", range = { 0.15, 0.4 } },
    { param = "projects.effect_mean", range = { 0.0, 0.02 } },
    { param = "time.firefighting", range = { 2, 10 } },
    { param = "outcomes.cost_coach", range = { 800, 1600 } },
  },
  outcomes = { "reliability", "practising_share", "culture" },
}
