-- Training alone vs training with coaching vs training with coaching and protected time.
--
-- Question: a trust sends a fifth of its staff on a QI practitioner course. How many still
-- practise 6 and 18 months later, and how much do coaching and protected time add? (The class
-- exercise "why training alone fails".)
--
-- Design: three identical acute trusts of 2,000 staff and 70 teams (engine defaults; QI is not
-- the declared method), an inspecting regulator. Week 0: 20% of staff on the practitioner
-- course, by default without a real project ("education alone", R:L4315-4326). The 62%/48%
-- programme of B:L4265 was team-based with projects (B:L4308): compare with --arg project=true.
--   "Training alone": nothing else. "Training + coaching": 16 coaches from week 0 to 104 (each
--   trainee is coached for 26 weeks, training.coaching_weeks). "Training + coaching + time":
--   the same coaches and 5% protected time from week 0 (B:L2958: otherwise "a second job").
-- Three years (156 weeks).
--
-- Look at (trust level). Ratio = practising_share / formally_trained_share (the cohort less
-- leavers); it counts untrained staff who picked up practice from peers, so it can exceed 1.
--   Seeds: ~62% practising at 6 months and ~48% at 18 months with projects (B:L4265); coaching
--   raises conversion (OR 4.38, B:L4187); education alone is least effective and reinforcement
--   lasts with its duration and depth (R:L4315-4326).
--   Model, 5 reps (qisim run scenarios/training_alone_vs_coaching.lua --reps 5, seed 1; rerun on
--   commit cfb3c75, after tenure began to advance in the workforce's phase and with the third
--   calibration's defaults), ratio at week 26 / week 78 (alone, coached, coached + time; means
--   over replicates):
--     no project:         0.30 / 0.25, 0.53 / 0.53, 0.81 / 1.27 (practising_share at w26 0.053,
--                         0.092, 0.142; at w154 0.028, 0.079, 0.387)
--     --arg project=true: 0.64 / 0.66, 0.90 / 1.01, 1.06 / 2.04
--   So alone < coached < coached + time at both points. Without a project only protected time
--   reverses the decline in practice; with a project the alone arm's ratio holds and grows (0.64
--   -> 0.66, 0.84 at w154) and so does the coached arm's (0.90 -> 1.01, 1.50 at w154), while its
--   practising_share barely moves (0.157 -> 0.150, 0.186 at w154): the cohort shrinks with
--   leavers while practice spreads to untrained peers. The "alone" arm's board is held
--   out of deciding (alone:board_decides(false)): left to decide, a board that gains a CEO with
--   QI experience adopts QI and funds a programme.
--   projects_completed by w154 (no project): 30, 71, 277; reliability 0.55 -> 0.552, 0.557,
--   0.590. qi_spend_total by w154: GBP 0.4m, 2.4m, 12.5m.
--   Protected time costs capacity: strain in the coached + time arm is 0.32 at w26 against 0.31
--   (coached) and 0.30 (alone), then falls below them as projects pay back (0.17 vs 0.25
--   coached at w154).
--   (qisim validate P3 follows the cohort itself: 64%/51%, 20 reps on commit cfb3c75, MET; it
--   was 67%/54%, MISSED at 78 weeks by a point, on 8bf9b8f. It is a calibration target, not
--   held out: the third calibration set training.conversion and training.drop on it, docs/ODD.md
--   §9.)
-- Known gap: the three arms share one region, so trainees who rotate within it
--   (workforce.rotation_stay) carry practice and know-how from arm to arm: with
--   --set workforce.rotation_stay=0 the alone arm's ratio at w154 is 0.70 instead of 0.84
--   (project=true); without a project it is 0.22 as with rotation (0.215 vs 0.222 over 5
--   replicates), so there the rotation does not show (rerun on cfb3c75).

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
alone:board_decides(false) -- the design holds the arm alone: its board does not start a programme

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
