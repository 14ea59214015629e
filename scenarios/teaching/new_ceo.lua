-- Exercise: a new chief executive before or after the culture is embedded (qisim play).
--
-- Each group runs an acute trust of 2,000 staff that has made a start on QI (culture 0.5,
-- board commitment 0.6), for five years with GBP 350k a year. At the start of year 4 every
-- trust gets a new chief executive without QI experience. A new CEO may drop a programme that
-- is not embedded (culture below culture.embedded, 0.6; leadership.ceo_abandon), and its
-- courses and protected time stop; an embedded culture survives the change (C:L202, C:L577;
-- B:L2970). Can the group embed the culture before the change? Worksheet: new_ceo.md.
-- Play: qisim play scenarios/teaching/new_ceo.lua --groups 4

local NAMES = { "Riverside", "Hillside", "Seaview", "Moorland", "Lakeside", "Fenland", "Dales", "Marsh",
                "Forest", "Valley", "Harbour", "Heath", "Downs", "Estuary", "Ridge", "Meadow" }
local CHANGE_WEEK = 156

param("leadership.ceo_tenure", 30) -- no other CEO change: the one at year 4 is the story

exercise {
  name = "A new CEO: before or after the culture is embedded?",
  description = "Five years, one a turn. A new chief executive without QI experience arrives at the start of year 4.",
  turns = 5, weeks_per_turn = 52, budget = 350, unit = "GBP k",
  commentary = { lapse = 0.5, flat = 0.02 },
  menu = {
    { name = "train_project", label = "Practitioner course with a real project, for 5% of staff", cost = 60, max = 3,
      act = function(t, n) if n > 0 then t:train { tier = "practitioner", share = 0.05 * n, project = true } end end },
    { name = "leaders_course", label = "Leader programme for executives, managers and team leaders", cost = 80, max = 1,
      act = function(t, n)
        if n > 0 then t:train { tier = "leader", roles = { "executive", "manager", "team_leader" } } end
      end },
    { name = "coaches", label = "Employ 4 QI coaches for the year", cost = 70, max = 3,
      act = function(t, n) t:coaches(4 * n) end },
    { name = "protected_time", label = "Protect 2% of working time for QI for the year", cost = 80, max = 3,
      act = function(t, n) t:protected_time(0.02 * n) end },
    { name = "patients", label = "Co-produce with patients (partnership policy for the year)", cost = 30, max = 1,
      act = function(t, n) t:patient_partnership(n > 0 and 0.8 or 0.2) end },
    { name = "strategy", label = "Declare QI the trust's method (from this year on)", cost = 20, max = 1,
      act = function(t, n) if n > 0 then t:strategy("qi") end end },
  },
  build = function(groups)
    local south = region { name = "South" }
    local list = {}
    for k = 1, groups do
      local t = trust { name = NAMES[k], kind = "acute", region = south, staff = 2000, teams = 70,
                        board = { commitment = 0.6, style = "enabling" }, culture = 0.5 }
      t:board_decides(false)
      list[k] = t
    end
    regulator { name = "CQC", stance = "inspector" }
    at(CHANGE_WEEK, function()
      for _, t in ipairs(list) do t:new_ceo { qi_experience = false } end
    end)
    return list
  end,
}
