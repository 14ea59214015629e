-- Calibration of two mechanisms at once, each onto its own pattern: training conversion and
-- decay onto P3 (62% and 48% practising at 26 and 78 weeks, B:L4265) and the effect of flow
-- changes onto P8 (waits -23% in an access collaborative, C:L784). The distance weighs each
-- target by its own tolerance (docs/calibration.md), so a share and a percentage count alike.
--   qisim calibrate experiments/calibration/training_and_flow.lua --threads 2
calibrate {
  name = "training_and_flow",
  patterns = { "scenarios/validation/patterns/p3.lua", "scenarios/validation/patterns/p8.lua" },
  params = {
    { "training.conversion", "uniform", 0.03, 0.4 },
    { "training.drop", "log_uniform", 0.0005, 0.02 },
    { "projects.flow_effect_mean", "uniform", 0.01, 0.15 },
  },
  particles = 100,
  generations = 4,
  reps = 4,
  quantile = 0.5,
  seed = 1,
}
