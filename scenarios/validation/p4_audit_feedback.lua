-- Pattern 4 (MODEL.md §5.4): audit and feedback across many teams: median effect about +4
-- points, IQR about 0.5-16, a quarter null or negative (B:L1818-1820).
-- Design: 7 trusts of 20 teams (140 teams, as the review's 140 trials); feedback for 26
-- weeks with two of its four amplifiers (repeated, with targets). With --arg feedback=0 the
-- same world runs without it (paired control: same seed).
-- Read by `qisim validate`: each team's reliability change over weeks 0-26, feedback arm
-- minus control arm.
scenario { name = "P4 audit and feedback", weeks = 26 }
local r = region { name = "Validation" }
local all = {}
for k = 1, 7 do
  all[k] = trust { name = "Trust " .. k, region = r, staff = 600, teams = 20 }
end
regulator { name = "CQC" }
-- The design fixes each trust's programme: its board does not decide one of its own.
for _, t in ipairs(trusts()) do t:board_decides(false) end
if arg("feedback", 1) == 1 then
  at(0, function()
    for _, t in ipairs(all) do
      t:audit_feedback { weeks = 26, repeated = true, targets = true }
    end
  end)
end
record { "reliability", levels = { "team" }, every = 26 }
