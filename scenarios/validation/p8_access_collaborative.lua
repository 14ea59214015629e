-- Pattern 8 (MODEL.md §5.8): a two-year access collaborative of 15 teams cuts waiting by
-- about a fifth while demand rises by a quarter (C:L784: waits -23%, referrals +25%).
-- Design: a community trust whose first 15 teams ("Access 1".."Access 15") join a flow
-- collaborative with coaching for 104 weeks, adapting changes to context; 15 control teams
-- do not. Demand grows 11.8% a year (x1.25 over two years).
-- Read by `qisim validate`: waiting of the collaborative and control teams, weeks 100-104
-- against weeks 0-4.
scenario { name = "P8 access collaborative", weeks = 104 }
local r = region { name = "Validation" }
local teams = {}
for k = 1, 15 do teams[#teams + 1] = { name = "Access " .. k, staff = 30 } end
for k = 1, 15 do teams[#teams + 1] = { name = "Control " .. k, staff = 30 } end
local t = trust { name = "Community", kind = "community", region = r, teams = teams,
                  board = { commitment = 0.5, style = "enabling" } }
regulator { name = "CQC" }
param("time.demand_growth", 0.118)
at(0, function()
  local members = {}
  for i, team in ipairs(t:teams()) do
    if i <= 15 then members[#members + 1] = team end
  end
  t:train { tier = "practitioner", share = 0.3, project = true }
  t:coaches(4)
  collaborative { name = "Access", teams = members, weeks = 104, topic = "flow", adapt = true }
end)
record { "waiting", "efficiency", "projects_active", "practising_share", "workload", levels = { "team" }, every = 4 }
