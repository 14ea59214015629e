-- Held-out check H6 (MODEL.md §3.7): the commitment-results deadlock (C:L228). Without a
-- lever an impatient board rarely adopts QI within five years; quick wins, trained senior
-- leaders (C:L228, L511) or a new CEO with QI experience (C:L214; W:L267) break it.
-- Nothing was fitted to it. Scenario: scenarios/validation/h6_commitment_deadlock.lua.
pattern { id = "H6", kind = "held_out" }

local path = "scenarios/validation/h6_commitment_deadlock.lua"
local adopted, reps = {}, nil
for _, lever in ipairs { "none", "leaders", "qi_ceo", "quick_wins" } do
  local a = arm { lever, scenario = path, args = { lever = lever } }
  -- the week the board first has QI as its strategy (NaN in a run where it never does)
  local week = first(series { arm = a, trust = "Board", metric = "strategy_qi" }, ">=", 1)
  adopted[lever] = count(week)
  reps = reps or n(week)
end

row {
  title = "H6 commitment-results deadlock", target = "none <= 1/4; each lever >= 1/2", source = "C:L228",
  figure = { "adopt QI in 5 yr: none %d/%d, leaders %d, QI CEO %d, quick wins %d", adopted.none, reps,
             adopted.leaders, adopted.qi_ceo, adopted.quick_wins },
  check = { at_most(4 * adopted.none, reps), at_least(2 * adopted.leaders, reps), at_least(2 * adopted.qi_ceo, reps),
            at_least(2 * adopted.quick_wins, reps) },
  knockout = { "leadership.wins=0", "leadership.results=0", "leadership.trained_board=0", "leadership.qi_ceo=0", "leadership.qi_ceo_commitment=0" },
}
