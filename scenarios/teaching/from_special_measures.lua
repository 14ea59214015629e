-- Exercise: special measures - a credible QI plan or grip and control? (qisim play)
--
-- Each group takes over an acute trust of 2,000 staff rated inadequate and in special
-- measures (board 0.15, command style, culture 0.15, reliability 0.45, finance pressure 0.6),
-- for four years with GBP 300k a year; the regulator re-inspects every year. Seeds: the
-- rating rises 1-2 levels in 16-39 months, median about 24 (W:L135-143), while the culture is
-- still far from embedded (W:L119, H:L120; C:L224); grip and control is C:L204-210. See
-- scenarios/special_measures.lua. Worksheet: from_special_measures.md.
-- Play: qisim play scenarios/teaching/from_special_measures.lua --groups 4

local NAMES = { "Riverside", "Hillside", "Seaview", "Moorland", "Lakeside", "Fenland", "Dales", "Marsh",
                "Forest", "Valley", "Harbour", "Heath", "Downs", "Estuary", "Ridge", "Meadow" }

exercise {
  name = "Special measures: a credible plan or grip and control?",
  description = "Four years, one a turn, from an inadequate rating. The regulator re-inspects every year.",
  turns = 4, weeks_per_turn = 52, budget = 300, unit = "GBP k",
  commentary = { lapse = 0.5, flat = 0.02, strain = 0.4 },
  menu = {
    { name = "ceo_qi", label = "Appoint a chief executive with QI experience (once)", cost = 60, max = 1,
      act = function(t, n) if n > 0 then t:new_ceo { qi_experience = true } end end },
    { name = "ceo_grip", label = "Appoint a chief executive without QI experience (once)", cost = 40, max = 1,
      act = function(t, n) if n > 0 then t:new_ceo { qi_experience = false } end end },
    { name = "compliance", label = "Compliance strategy: targets and assurance (from this year on)", cost = 20, max = 1,
      act = function(t, n) if n > 0 then t:strategy("compliance") end end },
    { name = "strategy", label = "Declare QI the trust's method (from this year on)", cost = 20, max = 1,
      act = function(t, n) if n > 0 then t:strategy("qi") end end },
    { name = "audit", label = "Audit against targets, every team, for the year", cost = 40, max = 1,
      act = function(t, n) if n > 0 then t:audit_feedback { weeks = 52, repeated = true, targets = true } end end },
    { name = "leaders", label = "Leadership development for the board and managers", cost = 50, max = 1,
      act = function(t, n) if n > 0 then t:develop_leaders() end end },
    { name = "coaches", label = "Employ 3 QI coaches for the year", cost = 60, max = 2,
      act = function(t, n) t:coaches(3 * n) end },
    { name = "train_project", label = "Practitioner course with a real project, for 3% of staff", cost = 40, max = 2,
      act = function(t, n) if n > 0 then t:train { tier = "practitioner", share = 0.03 * n, project = true } end end },
    { name = "protected_time", label = "Protect 2% of working time for QI for the year", cost = 80, max = 2,
      act = function(t, n) t:protected_time(0.02 * n) end },
  },
  build = function(groups)
    local north = region { name = "North" }
    local list = {}
    for k = 1, groups do
      local t = trust { name = NAMES[k], kind = "acute", region = north, staff = 2000, teams = 70,
                        board = { commitment = 0.15, style = "command" }, culture = 0.15, reliability = 0.45,
                        finance_pressure = 0.6, rating = "inadequate" }
      t:board_decides(false)
      t:set_special_measures(true)
      list[k] = t
    end
    regulator { name = "CQC", stance = "inspector" }
    every(52, function() for _, t in ipairs(list) do t:inspect() end end, 51)
    return list
  end,
}
