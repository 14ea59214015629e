-- A tiny world touching every checkpointed record kind (collaborative, network, partner,
-- schedule, events): the checkpoint tests and the checkpoint fuzz harness build it.
scenario { name = 'checkpoint world', weeks = 12 }
local r = region { name = 'Region Q' }
local a = trust { name = 'Trust Alpha', region = r, staff = 90, teams = 4 }
local b = trust { name = 'Trust Beta', region = r, staff = 60, teams = 3, kind = 'community' }
local cqc = regulator { name = 'CQC' }
at(0, function()
  a:strategy('qi')
  a:train { tier = 'practitioner', share = 0.3, project = true }
  collaborative { name = 'Flow', teams = { a:teams()[1], b:teams()[1] }, weeks = 20, topic = 'flow' }
  peer_network { trusts = { a, b } }
  a:support(b)
  national_programme { weeks = 30 }
end)
every(4, function() b:train { tier = 'awareness', share = 0.1 } end)
when(function() return a.practising_share > 0.05 end, function() a:protected_time(0.05) end)
at(2, function() cqc:stance('partner') ; b:inspect() end)
record { 'practising_share', 'reliability', levels = { 'trust', 'system' } }
