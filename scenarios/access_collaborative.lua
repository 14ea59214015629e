-- An access collaborative: 15 teams work on flow for two years while demand rises by a quarter.
--
-- Question: ELFT's access collaborative brought 15 community teams together for two years
-- with shared aims and data, regular learning sessions and coaching from improvement
-- advisers; waits from referral to first appointment fell by 23% while referrals rose by
-- 25% (C:L784). Does a collaborative of that design cut waiting under rising demand, against
-- comparable teams that are not in it?
--
-- Design: one region, an inspecting regulator, one community trust of 30 named teams of 30
-- staff ("Access 1".."Access 15" and "Control 1".."Control 15") with a supportive board
-- (0.5, enabling). Demand grows 11.8% a year at every team (time.demand_growth), +25% over
-- the two years. At week 0 the trust trains 30% of its staff on the practitioner course
-- with a project and employs 4 coaches (both arms alike), and the 15 Access teams join a
-- two-year collaborative on flow (collaborative{ topic = "flow", adapt = true }: learning
-- sessions, shared changes adapted to context, improvement-adviser support). The 15 Control
-- teams carry on with the same training and coaches but no collaborative.
-- Two years (104 weeks), the collaborative's length.
--
-- Look at (team level; average the Access teams and the Control teams):
--   - waiting (x baseline): mean of weeks 100-104 against weeks 0-4. The seed: about -23% in
--     the collaborative teams (C:L784); the control teams' waits should rise with demand.
--     Waits follow a queue that is steep near full utilisation, so the team mean is pulled up
--     by the few teams that saturate: read the median team beside the mean.
--   - workload: demand over capacity, rising about 25% in both arms (the input check).
--   - efficiency: throughput per unit capacity, raised by adopted flow changes; with demand
--     +25%, waits can only fall if effective capacity rises by more than a quarter.
--   - practising_share, projects_active: the collaborative should also raise QI activity.
--   - reliability: the collaborative's projects work on flow, so reliability should not move
--     much in either arm.
-- (Trust-level series are recorded too: they mix the two arms.)

scenario { name = "Access collaborative under rising demand", weeks = 104 }

param("time.demand_growth", 1.25 ^ 0.5 - 1)   -- x1.25 over two years

local r = region { name = "London" }

local teams = {}
for k = 1, 15 do teams[#teams + 1] = { name = "Access " .. k, staff = 30 } end
for k = 1, 15 do teams[#teams + 1] = { name = "Control " .. k, staff = 30 } end

local t = trust {
  name = "Community", kind = "community", region = r, teams = teams,
  board = { commitment = 0.5, style = "enabling" },
}

regulator { name = "CQC", stance = "inspector" }

at(0, function()
  local members = {}
  for _, team in ipairs(t:teams()) do
    if team.name:sub(1, 6) == "Access" then members[#members + 1] = team end
  end
  t:train { tier = "practitioner", share = 0.3, project = true }
  t:coaches(4)
  collaborative { name = "Access collaborative", teams = members, weeks = 104, topic = "flow", adapt = true }
end)

record {
  "waiting", "workload", "efficiency", "practising_share", "projects_active", "reliability", "strain",
  levels = { "team", "trust" }, every = 4,
}
