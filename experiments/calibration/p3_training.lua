-- Calibration of training conversion onto pattern P3 (62% practising at 26 weeks, 48% at 78
-- weeks, B:L4265): the parameters fitted to it by hand (ODD §9), now with priors, by
-- `qisim calibrate experiments/calibration/p3_training.lua --threads 2` (docs/calibration.md).
-- training.conversion_weeks is fitted too: the data say little about it beside the others.
calibrate {
  name = "p3_training",
  patterns = { "scenarios/validation/patterns/p3.lua" },
  params = {
    { "training.conversion", "uniform", 0.03, 0.4 },
    { "training.drop", "log_uniform", 0.0005, 0.02 },
    { "training.conversion_weeks", "uniform", 4, 26 },
  },
  particles = 150,
  generations = 5,
  reps = 4,
  quantile = 0.5,
  seed = 1,
}
