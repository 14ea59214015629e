-- Pattern 6 (MODEL.md §5.6): without an effective programme, reliability (50-60% of care as
-- evidence recommends) and harm (~10% of patients) stay flat for decades (B:L801-807).
-- Design: a region of ten trusts of mixed kinds and sizes, thirty years, no interventions;
-- ordinary turnover, rotation, CEO churn and inspections.
-- Read by `qisim validate`: region reliability and harm_rate each year.
scenario { name = "P6 status quo for thirty years", weeks = 1560 }
local r = region { name = "Validation" }
local kinds = { "acute", "mental_health", "community" }
for k = 1, 10 do
  trust { name = "Trust " .. k, region = r, kind = kinds[(k % 3) + 1], staff = 1500 + 250 * k, teams = 50 + 8 * k }
end
regulator { name = "CQC" }
-- The design fixes each trust's programme: its board does not decide one of its own.
for _, t in ipairs(trusts()) do t:board_decides(false) end
record { "reliability", "harm_rate", "culture", levels = { "region" }, every = 52 }
