-- Pattern P8 (MODEL.md §5.8), a calibration target: a two-year access collaborative of 15
-- teams cuts waiting by about a fifth while demand rises by a quarter (C:L784: waits -23%,
-- referrals +25%). Scenario: scenarios/validation/p8_access_collaborative.lua; the mean wait
-- of the member teams and of the control teams, weeks 101-104 against weeks 1-4.
pattern { id = "P8", kind = "calibration", fitted = "projects.flow_effect_mean (0.04 to 0.08)" }

local run = arm { "collaborative", scenario = "scenarios/validation/p8_access_collaborative.lua" }
local function teams(prefix)
  local names = {}
  for k = 1, 15 do names[k] = prefix .. " " .. k end
  return average(series { arm = run, teams = names, metric = "waiting" })
end
local function change(waits)
  return median(100 * (mean(waits, { from = "end-3" }) / mean(waits, { from = 1, to = 4 }) - 1))
end
local member, control = change(teams("Access")), change(teams("Control"))

row {
  title = "P8 access collaborative, demand +25%", target = "about -20%", source = "C:L784: -23%",
  figure = { "waiting %+.0f%% (control teams %+.0f%%)", member, control },
  check = { between(member, -30, -15), above(control, 0) },
  knockout = { "projects.on=0" },
}
