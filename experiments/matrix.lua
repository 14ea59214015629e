-- A design matrix read from CSV (experiments/design.csv: three hand-picked points); docs/experiments.md section 8.
experiment { name = "matrix", scenario = "scenarios/training_alone_vs_coaching.lua",
             design = "matrix", matrix = "experiments/design.csv", replicates = 10,
             outcomes = { "practising_share", "reliability" } }
