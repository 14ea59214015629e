-- Held-out check H4 (MODEL.md §6.2): the critical shock. A capable trust under a further
-- crisis (demand x1.5) from week 312 for D weeks keeps its capability after a short one and
-- loses it after a long one (H:L440); culture falls in a sustained crisis (B:L1112).
-- Nothing was fitted to it. Scenario: scenarios/validation/h2_capability_trap.lua with
-- --arg shock_weeks=D against D = 0, practising share of "Capable" at 15 years.
pattern { id = "H4", kind = "held_out" }

local path = "scenarios/validation/h2_capability_trap.lua"
local function capable(a, metric) return series { arm = a, trust = "Capable", metric = metric } end
local none = capable(arm { "no shock", scenario = path, args = { shock_weeks = 0 } }, "practising_share")
local figure, kept, longest = { "kept at 15 yr:" }, {}, nil
for _, d in ipairs { 13, 52, 104, 156 } do
  local shocked = arm { "shock " .. d, scenario = path, args = { shock_weeks = d } }
  kept[d] = median(at(capable(shocked, "practising_share"), "end") / at(none, "end"))
  figure[1] = figure[1] .. " " .. d .. "wk %.0f%%"
  figure[#figure + 1] = 100 * kept[d]
  longest = shocked
end
local culture = capable(longest, "culture")
local fall = median(at(culture, 312) - at(culture, 312 + 156))
local pressure_off = { "time.firefighting=0", "leadership.time_cut=0", "workforce.strain_workload=0" }

row {
  title = "H4 critical shock: x1.5 demand for D weeks", target = "13wk >= 80%, 156wk <= 50%", source = "H:L440",
  figure = figure,
  check = { at_least(kept[13], 0.8), at_most(kept[156], 0.5) },
  knockout = pressure_off,
}

row {
  title = "H5 culture falls in a sustained crisis", target = "falls by > 0.05", source = "B:L1112",
  figure = { "culture %+.2f over a 3-year crisis", -fall },
  check = above(fall, 0.05),
  knockout = { "culture.strain=0", "culture.headspace=0", "culture.churn=0" },
}
