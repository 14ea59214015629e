-- Exercise: the pressure trap (qisim play). Demand rises in years 3 and 4, then falls back.
--
-- Each group runs an acute trust of 2,000 staff for five years, one year a turn, with GBP 300k
-- a year. From year 3 demand climbs to +35% and holds; in year 5 it falls back to normal.
-- Under pressure effort shifts from improving to firefighting and assurance, which erodes
-- capability and raises pressure (H:L440-442; B:L433, L1461, L2960); once eroded, capability
-- does not come back when the pressure goes (MODEL.md 3.3, hysteresis). Does building capability
-- before the surge carry a trust through it? Worksheet: the_pressure_trap.md. The surge is the one of
-- scenarios/pressure_trap.lua: trust:crisis{} renewed each week.
-- Play: qisim play scenarios/teaching/the_pressure_trap.lua --groups 4

local NAMES = { "Riverside", "Hillside", "Seaview", "Moorland", "Lakeside", "Fenland", "Dales", "Marsh",
                "Forest", "Valley", "Harbour", "Heath", "Downs", "Estuary", "Ridge", "Meadow" }
local PEAK = 1.35

-- Demand relative to normal in week w: up over year 3, held in year 4, back in year 5's first half.
local function demand(w)
  if w < 104 or w >= 234 then return 1.0 end
  if w < 156 then return 1.0 + (PEAK - 1.0) * (w - 104) / 52 end
  if w < 208 then return PEAK end
  return PEAK - (PEAK - 1.0) * (w - 208) / 26
end

param("leadership.ceo_tenure", 30) -- leadership held stable: the pressure is the story

exercise {
  name = "The pressure trap",
  description = "Five years, one a turn. Demand rises by a third in years 3 and 4, then falls back. Build capability first, or firefight?",
  turns = 5, weeks_per_turn = 52, budget = 300, unit = "GBP k",
  commentary = { lapse = 0.5, flat = 0.02, strain = 0.4, waiting = 1.3 },
  menu = {
    { name = "train_project", label = "Practitioner course with a real project, for 5% of staff", cost = 50, max = 3,
      act = function(t, n) if n > 0 then t:train { tier = "practitioner", share = 0.05 * n, project = true } end end },
    { name = "awareness", label = "Awareness session for a fifth of staff", cost = 20, max = 1,
      act = function(t, n) if n > 0 then t:train { tier = "awareness", share = 0.2 } end end },
    { name = "coaches", label = "Employ 3 QI coaches for the year", cost = 60, max = 3,
      act = function(t, n) t:coaches(3 * n) end },
    { name = "protected_time", label = "Protect 2% of working time for QI for the year", cost = 80, max = 3,
      act = function(t, n) t:protected_time(0.02 * n) end },
    { name = "leaders", label = "Leadership development for the board and managers", cost = 50, max = 1,
      act = function(t, n) if n > 0 then t:develop_leaders() end end },
    { name = "audit", label = "Grip and control: audit against targets, every team, for the year", cost = 40, max = 1,
      act = function(t, n)
        if n > 0 then t:audit_feedback { weeks = 52, repeated = true, targets = true } end
      end },
    { name = "strategy", label = "Declare QI the trust's method (from this year on)", cost = 20, max = 1,
      act = function(t, n) if n > 0 then t:strategy("qi") end end },
  },
  build = function(groups)
    local west = region { name = "West" }
    local list = {}
    for k = 1, groups do
      local t = trust { name = NAMES[k], kind = "acute", region = west, staff = 2000, teams = 70 }
      t:board_decides(false)
      list[k] = t
    end
    regulator { name = "CQC", stance = "inspector" }
    every(1, function()
      local d = demand(week())
      if d > 1.0 then
        for _, t in ipairs(list) do t:crisis { weeks = 2, demand = d } end
      end
    end, 104)
    return list
  end,
}
