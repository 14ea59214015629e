-- Held-out check H6 (MODEL.md §3.7): the commitment-results deadlock. Leaders will not commit
-- without results, and results will not come without commitment (C:L228); quick wins,
-- training senior leaders first (C:L228, L511) or a new chief executive with QI experience
-- (C:L214; W:L267) break it.
-- Design: one acute trust whose impatient board (commitment 0.45, enabling) decides its own
-- strategy and investment (no programme is imposed). --arg lever chooses what happens at
-- week 0: "none" (the control), "leaders" (the executives take the leader programme),
-- "qi_ceo" (a new CEO with QI experience) or "quick_wins" (a tenth of staff trained with a
-- project and ten teams in a one-year collaborative). Nothing was fitted to this pattern.
-- Read by `qisim validate`: whether the board adopts QI as its method within five years.
scenario { name = "H6 commitment-results deadlock", weeks = 260 }
local r = region { name = "Validation" }
local t = trust { name = "Board", region = r, staff = 1500, teams = 50,
                  board = { commitment = 0.45, style = "enabling" } }
regulator { name = "CQC" }
param("leadership.ceo_tenure", 30) -- no chance CEO changes: only the lever under test acts (as in P1)
local lever = arg("lever", "none")
at(0, function()
  if lever == "leaders" then
    t:train { tier = "leader", roles = { "executive" } }
  elseif lever == "qi_ceo" then
    t:new_ceo { qi_experience = true }
  elseif lever == "quick_wins" then
    local members = {}
    for k = 1, 10 do members[#members + 1] = t:teams()[k] end
    t:train { tier = "practitioner", share = 0.1, project = true }
    collaborative { name = "Quick wins", teams = members, weeks = 52 }
  elseif lever ~= "none" then
    error("lever must be none, leaders, qi_ceo or quick_wins, not " .. tostring(lever))
  end
end)
record { "board_commitment", "practising_share", levels = { "trust" }, every = 13 }
