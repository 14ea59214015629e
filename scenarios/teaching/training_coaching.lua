-- Exercise: training alone versus training with coaching and protected time (qisim play).
--
-- Each group runs an acute trust of 2,000 staff for four years, one year a turn, with a
-- budget of GBP 400k a year. Does a big training wave make QI stick by itself, or only with
-- coaching and protected time to practise in? Worksheet: training_coaching.md.
-- The design follows scenarios/training_alone_vs_coaching.lua: about half of a cohort trained
-- without coaching stops practising within a year (R:L4315-4326); coaching raises conversion
-- (B:L4187); protected time keeps it from being "a second job" (B:L2958).
-- Play:   qisim play scenarios/teaching/training_coaching.lua --groups 4
-- Alone:  qisim run scenarios/teaching/training_coaching.lua --arg choices='train=4/train=2/train=2/train=2/'

local list = {} -- the groups' trusts, filled by build: the partnership looks among them
local NAMES = { "Riverside", "Hillside", "Seaview", "Moorland", "Lakeside", "Fenland", "Dales", "Marsh",
                "Forest", "Valley", "Harbour", "Heath", "Downs", "Estuary", "Ridge", "Meadow" }

exercise {
  name = "Training alone vs coaching and protected time",
  description = "Four years, one a turn. Train staff, coach them, protect their time: which makes practice stick?",
  turns = 4, weeks_per_turn = 52, budget = 400, unit = "GBP k",
  commentary = { lapse = 0.5, flat = 0.02, trained = 0.05 },
  menu = {
    { name = "train", label = "Practitioner course (3 days), for 5% of staff", cost = 50, max = 4,
      act = function(t, n) if n > 0 then t:train { tier = "practitioner", share = 0.05 * n } end end },
    { name = "train_project", label = "Practitioner course with a real project, for 5% of staff", cost = 70, max = 4,
      act = function(t, n) if n > 0 then t:train { tier = "practitioner", share = 0.05 * n, project = true } end end },
    { name = "awareness", label = "Awareness session for a fifth of staff", cost = 20, max = 2,
      act = function(t, n) if n > 0 then t:train { tier = "awareness", share = 0.2 * n } end end },
    { name = "coaches", label = "Employ 4 QI coaches for the year", cost = 80, max = 3,
      act = function(t, n) t:coaches(4 * n) end },
    { name = "protected_time", label = "Protect 2% of working time for QI for the year", cost = 90, max = 3,
      act = function(t, n) t:protected_time(0.02 * n) end },
    { name = "leaders", label = "Leadership development for the board and managers", cost = 60, max = 1,
      act = function(t, n) if n > 0 then t:develop_leaders() end end },
    { name = "strategy", label = "Declare QI the trust's method (from this year on)", cost = 20, max = 1,
      act = function(t, n) if n > 0 then t:strategy("qi") end end },
    { name = "partner", label = "Partnership: the region's trust with the strongest culture supports yours (from now on)",
      cost = 30, max = 1,
      act = function(t, n)
        if n == 0 then return end
        local best = nil
        for _, other in ipairs(list) do
          if other ~= t and (best == nil or other.culture > best.culture) then best = other end
        end
        if best then best:support(t) end
      end },
  },
  build = function(groups)
    local east = region { name = "East" }
    for k = 1, groups do
      local t = trust { name = NAMES[k], kind = "acute", region = east, staff = 2000, teams = 70 }
      t:board_decides(false) -- the group decides, not the simulated board
      list[k] = t
    end
    regulator { name = "CQC", stance = "inspector" }
    if groups > 1 then peer_network { trusts = list } end
    return list
  end,
}
