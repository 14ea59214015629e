-- Held-out check H8 (MODEL.md §6.5, issue 8): special measures work as a lever under new,
-- QI-experienced leadership and as defensive compliance without it (W:L215-219, W:L267,
-- H:L440-442). Nothing was fitted to it.
-- Scenario: scenarios/validation/h8_special_measures_recovery.lua, --arg leader=qi | none, same
-- seed: 20 struggling trusts put into special measures at week 0, each with a new CEO with or
-- without QI experience. Region-level series (every 4 weeks: month 39 is read at week 168).
pattern { id = "H8", kind = "held_out" }

local path = "scenarios/validation/h8_special_measures_recovery.lua"
local qi = arm { "qi", scenario = path, args = { leader = "qi" } }
local none = arm { "none", scenario = path, args = { leader = "none" } }
local function read(a, metric) return series { arm = a, region = "Region", metric = metric } end
-- (regulation.stake_special_measures is the least stake in special measures since the stake follows
-- the rating lines (7.12.1): 0 takes the defensive floor away, as 1 did when it replaced a stake of 1.)
local knockout = { "leadership.sm_lever=0", "regulation.sm_blow_lever=1", "regulation.stake_special_measures=0",
                   "leadership.qi_ceo_style=0", "leadership.qi_ceo_commitment=0", "leadership.qi_ceo=0" }

local still_in = at(read(none, "special_measures"), 168) - at(read(qi, "special_measures"), 168)
row {
  title = "H8 out of special measures by month 39", target = "QI CEO ahead", source = "W:L267",
  figure = { "trusts still in: none - qi %+.2f of 20 (95%% %+.2f to %+.2f)", mean(still_in), low95(still_in), high95(still_in) },
  check = above(low95(still_in), 0),
  knockout = knockout,
}

local safety = at(read(qi, "psych_safety"), 168) - at(read(none, "psych_safety"), 168)
local culture = at(read(qi, "culture"), 168) - at(read(none, "culture"), 168)
row {
  title = "H8 safety and culture under a QI CEO", target = "qi > none, both", source = "W:L215-219",
  figure = { "psych_safety qi - none %+.3f (low %+.3f); culture %+.3f (low %+.3f)", mean(safety), low95(safety),
             mean(culture), low95(culture) },
  check = { above(low95(safety), 0), above(low95(culture), 0) },
  knockout = knockout,
}

local assurance = mean(read(none, "assurance"), { from = 0, to = 104 }) - mean(read(qi, "assurance"), { from = 0, to = 104 })
row {
  title = "H8 defensive compliance without QI leadership", target = "none > qi, weeks 0-104", source = "H:L442",
  figure = { "assurance none - qi %+.4f (95%% %+.4f to %+.4f)", mean(assurance), low95(assurance), high95(assurance) },
  check = above(low95(assurance), 0),
  knockout = knockout,
}
