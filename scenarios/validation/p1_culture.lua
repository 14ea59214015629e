-- Pattern 1 (MODEL.md §5.1): under a sustained organisation-wide programme, culture reaches its
-- embedded level only after 5-10 years (C:L224), while first project gains show within about
-- 3 months (C:L216, L592).
-- Design: one acute trust of 5,000 staff, a committed board with QI as its method; leaders
-- and managers trained in year 1, a central team and coaches, practitioner training to 10%
-- of staff over five years, protected time, data investment (the analyst's p1 design).
-- Read by `qisim validate`: trust "Programme", projects_completed and culture.
-- Pattern 7 (MODEL.md §5.7) reuses it: a CEO change before embedding sets the programme back,
-- after embedding it does not (C:L202, L577; R:L2808-2813). --arg change_week=W replaces the
-- CEO (without QI experience) at week W; 0 (the default) means no forced change, the paired
-- control arm. validate runs W = 104 and W = 520 and reads board_commitment and
-- practising_share 104 weeks after W.
scenario { name = "P1 culture under a sustained programme", weeks = 780 }
local r = region { name = "Validation" }
local t = trust { name = "Programme", region = r, staff = 5000, teams = 125,
                  board = { commitment = 0.6, style = "enabling" }, data_maturity = 0.4 }
regulator { name = "CQC" }
param("leadership.ceo_tenure", arg("ceo_tenure", 30))   -- stability (C:L202); 30 years = no change
-- Held-out check H5 reuses it too: --arg strength=S scales every investment of the programme
-- (training shares, coaches, central team, protected time, data); --arg withdraw_week=W ends
-- the programme at week W (strategy, coaches, central team and protected time withdrawn,
-- training stopped).
local strength, withdraw = arg("strength", 1), arg("withdraw_week", 0)
local running = function() return withdraw == 0 or week() < withdraw end
at(0, function()
  t:strategy("qi")
  t:train { tier = "leader", roles = { "executive", "manager", "team_leader" }, share = math.min(1, strength) }
  t:central_team(math.floor(6 * strength + 0.5))
  t:coaches(math.floor(10 * strength + 0.5))
  t:protected_time(0.05 * strength)
  t:invest_data(0.3 * strength)
end)
every(13, function()
  if running() then t:train { tier = "practitioner", share = 0.005 * strength, project = true } end
end)
every(52, function()
  if running() then t:train { tier = "awareness", share = math.min(1, 0.2 * strength) } end
end)
if withdraw > 0 then
  at(withdraw, function()
    t:strategy("none")
    t:coaches(0)
    t:central_team(0)
    t:protected_time(0)
  end)
end
local change = arg("change_week", 0)
if change > 0 then
  at(change, function() t:new_ceo { qi_experience = false } end)
end
record { "projects_completed", "culture", "practising_share", "board_commitment", levels = { "trust" } }
