-- NHS England scale, for `make bench`: about 1.4 million staff in 220 trusts and 42 regions,
-- ten years weekly, every mechanism on. (MODEL.md §2: W:L99 gives ~223 trusts; case trusts
-- have 3,400-15,000 staff, W:L110-117.)
--
-- Trust sizes vary from about 2,000 to 12,000 staff; a third of trusts adopt QI as their
-- method in the first three years and train staff; a national peer-led programme runs in
-- year 2; a crisis hits every trust in year 4. The numbers come from the scenario's own
-- seeded math.random, so a given --seed always builds the same NHS.
--
-- The staff network is at a realistic degree (about 13 ties each: a ring of 10 within the team,
-- 2 across teams, opinion leaders as hubs); --arg network=0 runs spread on team shares instead,
-- to measure what the network costs.
-- --arg regions=N builds only the first N of the 42 regions: a small world for checking the
-- bench quickly (the figures that count are the full world's).

scenario { name = "NHS England", weeks = 520 }
network { on = arg("network", 1) ~= 0, within = 10, across = 2 }

local kinds = { "acute", "acute", "mental_health", "community" }
local all = {}
for r = 1, arg("regions", 42) do
  local reg = region { name = string.format("Region %02d", r) }
  local n = (r <= 10) and 6 or 5          -- 10 x 6 + 32 x 5 = 220 trusts
  for k = 1, n do
    local staff = math.random(2000, 10800)
    all[#all + 1] = trust {
      name = string.format("Trust %02d-%d", r, k), region = reg,
      kind = kinds[math.random(#kinds)],
      staff = staff, teams = staff // 30,
      board = { commitment = 0.2 + 0.4 * math.random() },
      data_maturity = 0.2 + 0.4 * math.random(),
      finance_pressure = 0.2 + 0.5 * math.random(),
    }
  end
end

regulator { name = "CQC", stance = "inspector" }
regulator { name = "NHS England", stance = "partner", rates = false, demands = 0.2 }

for i, t in ipairs(all) do
  if i % 3 == 0 then
    at(math.random(0, 156), function()
      t:strategy("qi")
      t:train { tier = "leader", roles = { "executive", "manager" } }
      t:coaches(math.max(1, t.staff // 800))
    end)
    every(26, function() t:train { tier = "practitioner", share = 0.01 } end)
  end
end

at(52, function() national_programme { weeks = 52, mandated = false } end)
at(208, function() crisis { weeks = 26, demand = 1.3 } end)

record { "practising_share", "culture", "reliability", "rating", levels = { "system" }, every = 52 }
