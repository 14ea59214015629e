-- Pattern 3 (MODEL.md §5.3): after a QI training programme about 62% practise at 6 months
-- and 48% at 18 months (B:L4265, a team-based programme with projects, B:L4308); with
-- coaching and protected time conversion is higher and lasts (B:L4185-4187; R:L4315-4326).
-- Design: a cohort of a fifth of an average trust's staff trained at week 0 on a practitioner
-- course with a real project. Arms (--arg support=1): none, or 26 weeks of coaching for the
-- cohort and 5% protected time.
-- Read by `qisim validate`: practising share among staff trained at practitioner level.
scenario { name = "P3 training conversion", weeks = 80 }
local r = region { name = "Validation" }
local t = trust { name = "Cohort", region = r, staff = 2000, teams = 60 }
regulator { name = "CQC" }
-- The design fixes each trust's programme: its board does not decide one of its own.
for _, t in ipairs(trusts()) do t:board_decides(false) end
local support = arg("support", 0)
at(0, function()
  t:train { tier = "practitioner", share = 0.2, project = true }
  if support == 1 then
    t:coaches(16)           -- 16 x 25 caseload covers the ~400 trained
    t:protected_time(0.05)
  end
end)
record { "practising_share", levels = { "trust" } }
