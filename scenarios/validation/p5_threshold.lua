-- Pattern 5 (MODEL.md §5.5): organisation-wide outcome gains appear only once roughly 5% of
-- staff have formal QI training and the programme is sustained (B:L3947; H:L337).
-- Design: a trust of 5,000 staff with a committed, enabling board, coaches, protected time
-- and data; practitioner training tops coverage up to --arg coverage (share of staff, held
-- for five years as staff turn over). coverage=0 is the paired no-programme arm. The trust
-- trains trainers from within (t:train_trainers, docs/ODD.md 7.5), so the formally trained
-- share can grow above the coverage it buys (at 5%: about 15% by year 5, 40 replicates, seed 1;
-- stepping up needs a core of practising colleagues in the team, training.step_up_core).
-- Read by `qisim validate`: trust reliability at year 5 against the coverage=0 arm.
scenario { name = "P5 training threshold", weeks = 260 }
local r = region { name = "Validation" }
local t = trust { name = "Threshold", region = r, staff = 5000, teams = 125,
                  board = { commitment = 0.6, style = "enabling" }, data_maturity = 0.5 }
regulator { name = "CQC" }
-- The design fixes each trust's programme: its board does not decide one of its own.
for _, t in ipairs(trusts()) do t:board_decides(false) end
local coverage = arg("coverage", 0.05)
if coverage > 0 then
  at(0, function()
    t:strategy("qi")
    t:coaches(20)
    t:protected_time(0.05)
    t:train_trainers(true) -- building from within: practitioners step up to coach and train colleagues
  end)
  every(4, function()
    local gap = coverage - t.formally_trained_share
    if gap > 0 then
      t:train { tier = "practitioner", share = math.min(1, gap / (1 - t.formally_trained_share)), project = true }
    end
  end)
end
record { "reliability", "formally_trained_share", "practising_share", levels = { "trust" }, every = 52 }
