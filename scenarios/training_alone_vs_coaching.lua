-- Training alone vs training with coaching vs training with coaching and protected time.
--
-- Question: a trust sends a fifth of its staff on a QI practitioner course. How many of them
-- are still practising QI six months and eighteen months later, and how much do coaching
-- and protected time add? (The classic class exercise: "why training alone fails".)
--
-- Design: one region, an inspecting regulator, three identical acute trusts of 2,000 staff
-- and 70 teams (the engine's default board, culture and data; QI is not the trust's declared
-- method in any of them, so only the support differs). At week 0 each trains the same cohort:
-- 20% of staff on the practitioner course. By default the course is taught without a real
-- project ("education alone", R:L4315-4326). The 62%/48% programme of B:L4265 was
-- team-based with projects (B:L4308); to compare with it, give every arm a project:
--   qisim run scenarios/training_alone_vs_coaching.lua --arg project=true
--   "Training alone":               nothing else.
--   "Training + coaching":          16 coaches from week 0 (16 x 25 caseload covers the ~370
--                                   trained in post) for the 26 weeks after the course
--                                   (training.coaching_weeks), kept on for two years.
--   "Training + coaching + time":   the same coaches and 5% of working time protected for
--                                   QI from week 0 (B:L2958: without time QI is "a second job").
-- Three years (156 weeks), so the lasting effect can be seen after the coaching has ended.
--
-- Look at (trust level):
--   - practising_share (staff actively practising) and its ratio to formally_trained_share
--     (the cohort, less leavers): at week 26 and week 78. The seed: ~62% practising at 6
--     months and ~48% leading projects at 18 months after a team-based programme with
--     projects (B:L4265; compare with --arg project=true); without a project, "training
--     alone" should fall well below that and decline by 18 months (MODEL.md M1);
--     coaching raises conversion (OR 4.38, B:L4187); education alone is the least effective
--     and reinforcement lasts in proportion to its duration and depth (R:L4315-4326). Expect
--     alone < coached < coached + time at both points, and a smaller fall from 26 to 78 weeks
--     with support. Caveat: practising_share counts every member of staff, and untrained
--     staff can pick up practice from practising peers (spread.*), so where practice takes
--     hold the ratio can exceed 1: it is then spread beyond the cohort, not conversion.
--   - projects_completed, reliability: conversion into results.
--   - strain and qi_spend: what the support costs (coaches and protected time are not free).

local PROJECT = arg("project", false)   -- true: the course includes a real project

scenario { name = "Training alone vs coaching vs protected time", weeks = 156 }

local r = region { name = "East" }

local function cohort_trust(name)
  return trust { name = name, kind = "acute", region = r, staff = 2000, teams = 70 }
end

local alone = cohort_trust("Training alone")
local coached = cohort_trust("Training + coaching")
local timed = cohort_trust("Training + coaching + time")

regulator { name = "CQC", stance = "inspector" }

at(0, function()
  for _, t in ipairs({ alone, coached, timed }) do
    t:train { tier = "practitioner", share = 0.2, project = PROJECT }
  end
  coached:coaches(16)
  timed:coaches(16)
  timed:protected_time(0.05)
end)

at(104, function()
  coached:coaches(0)
  timed:coaches(0)
end)

record {
  "formally_trained_share", "practising_share", "knowhow", "projects_active", "projects_completed",
  "reliability", "psych_safety", "strain", "workload", "coaches", "protected_time", "qi_spend",
  "qi_spend_total",
  levels = { "trust" }, every = 2,
}
