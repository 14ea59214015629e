-- Held-out check H2 (MODEL.md §6.2): bistability. Two trusts alike but for their past, under
-- the same raised demand and programme for ten years, stay far apart: the one without
-- capability does not climb (H:L440). Nothing was fitted to it.
-- Scenario: scenarios/validation/h2_capability_trap.lua.
pattern { id = "H2", kind = "held_out" }

local run = arm { "trap", scenario = "scenarios/validation/h2_capability_trap.lua" }
local capable = series { arm = run, trust = "Capable", metric = "practising_share" }
local stretched = series { arm = run, trust = "Stretched", metric = "practising_share" }
local c, s = median(at(capable, "end")), median(at(stretched, "end"))
local climb = median(at(stretched, "end") - at(stretched, 520))

row {
  title = "H2 bistability: same demand, different past", target = "< 1/4 of it, not climbing", source = "H:L440",
  figure = { "practising at 15 yr: %.2f vs %.2f (last 5 yr %+.2f)", c, s, climb },
  check = { below(s, 0.25 * c), below(climb, 0.02) },
  -- pressure no longer diverts QI time, managers no longer take protected time back, and
  -- workload no longer strains staff
  knockout = { "time.firefighting=0", "leadership.time_cut=0", "workforce.strain_workload=0" },
}
