-- Held-out check H9 (issue 8 item 5): crisis mode. A trust with prior QI capability uses QI more in a
-- crisis, keeps care up better and comes out with its improvement culture less harmed than one
-- without (B:L2019, B:L2103, B:L2105, B:L2107-2109, C:L196). Nothing was fitted to it; the targets
-- and knock-outs below were written from those lines and committed before the first run.
-- Scenario: scenarios/validation/h9_crisis.lua, --arg crisis=1 (both trusts hit by trust:crisis{},
-- weeks 156-207, demand x1.3) against crisis=0 (the unhit twin), same seed (paired replicates).
-- Each row compares the crisis's effect (hit minus twin) in "Capable" with its effect in "Bare",
-- and asks for the 95% interval of that paired difference to exclude 0.
-- Not rows: staff protection (strain is printed, not checked: no seed line compares staff harm by
-- capability; B:L2031 is one hospital's driver diagram), and better outcomes from capability,
-- which B:L2103 calls "the unanswered question"; C:L196 (one trust, a financial turnaround) is the
-- only line for care held up. B:L2109 says such trusts "might" emerge better equipped: the row
-- reads it as the crisis harming the capable trust's culture less, not as a gain over its twin.
-- The practising share is printed, not checked: Bare has almost none to lose.
pattern { id = "H9", kind = "held_out" }

local path = "scenarios/validation/h9_crisis.lua"
local hit = arm { "crisis", scenario = path, args = { crisis = 1 } }
local twin = arm { "no crisis", scenario = path, args = { crisis = 0 } }
local function read(a, trust, metric) return series { arm = a, trust = trust, metric = metric } end
-- the crisis's effect on a trust: a figure per replicate, hit minus twin
local function done(trust)  -- projects completed during the crisis
  local function completed(a) local s = read(a, trust, "projects_completed"); return at(s, 208) - at(s, 156) end
  return completed(hit) - completed(twin)
end
local function during(trust, metric)  -- the mean over the crisis weeks
  return mean(read(hit, trust, metric), { from = 156, to = 207 }) - mean(read(twin, trust, metric), { from = 156, to = 207 })
end
local function after(trust, metric)  -- a year after the crisis
  return at(read(hit, trust, metric), 260) - at(read(twin, trust, metric), 260)
end
local light_touch = { "projects.crisis_pace=0", "projects.crisis_start=0", "projects.crisis_fidelity=0" }
local crisis_mode = { "time.capability_buffer=0", "projects.crisis_pace=0", "projects.crisis_start=0",
                      "projects.crisis_fidelity=0" }

local capable_qi, bare_qi = done("Capable"), done("Bare")
local more_qi = capable_qi - bare_qi
row {
  title = "H9 capable trust uses QI more in a crisis", target = "C hit > twin, and > B's", source = "B:L2019; B:L2103",
  figure = { "projects in crisis, hit - twin: C %+.1f (low %+.1f), B %+.1f; C - B %+.1f (low %+.1f)", mean(capable_qi),
             low95(capable_qi), mean(bare_qi), mean(more_qi), low95(more_qi) },
  check = { above(low95(capable_qi), 0), above(low95(more_qi), 0) },
  knockout = light_touch,
}

local capable_care, bare_care = during("Capable", "reliability"), during("Bare", "reliability")
local care = capable_care - bare_care
local strain = during("Bare", "strain") - during("Capable", "strain")
row {
  title = "H9 capability holds care up in a crisis", target = "C's fall < B's, reliability", source = "C:L196",
  figure = { "reliability in crisis, hit - twin: C %+.3f, B %+.3f; C - B %+.3f (low %+.3f); strain B - C %+.3f",
             mean(capable_care), mean(bare_care), mean(care), low95(care), mean(strain) },
  check = above(low95(care), 0),
  knockout = { "time.capability_buffer=0" },
}

local capable_culture, bare_culture = after("Capable", "culture"), after("Bare", "culture")
local culture = capable_culture - bare_culture
local practising = after("Capable", "practising_share")
row {
  title = "H9 capable culture less harmed, a year on", target = "C's fall < B's, culture", source = "B:L2107-2109",
  figure = { "culture at w260, hit - twin: C %+.3f, B %+.3f; C - B %+.3f (low %+.3f); C practising %+.3f",
             mean(capable_culture), mean(bare_culture), mean(culture), low95(culture), mean(practising) },
  check = above(low95(culture), 0),
  knockout = crisis_mode,
}
