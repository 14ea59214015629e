-- Held-out check H7 (MODEL.md §6.5, issue 8): the governance signature. An inspector with
-- sanctions lifts ratings faster, with more assurance effort and a gap between rating and
-- capability; an improvement partner builds capability with slower rating gains (B:L429-433,
-- H:L442, B:L1461). Nothing was fitted to it.
-- Scenario: scenarios/validation/h7_inspector_vs_partner.lua, --arg stance=inspector | partner,
-- same seed (paired replicates). Each row asks for the 95% interval of the paired difference to
-- exclude 0 (low95 of the difference above 0). The compliance picture at inspections (the
-- header's statistic 2) needs the events and is not read here; the assurance share is.
pattern { id = "H7", kind = "held_out" }

local path = "scenarios/validation/h7_inspector_vs_partner.lua"
local inspector = arm { "inspector", scenario = path, args = { stance = "inspector" } }
local partner = arm { "partner", scenario = path, args = { stance = "partner" } }
local function read(a, metric) return series { arm = a, region = "Region", metric = metric } end
local knockout = { "regulation.gaming=0", "regulation.assurance_max=0" }

local gain = (at(read(inspector, "rating"), 312) - at(read(inspector, "rating"), 0)) -
             (at(read(partner, "rating"), 312) - at(read(partner, "rating"), 0))
row {
  title = "H7 inspector's rating gain over partner's", target = "I > P at 6 yr", source = "B:L429-433",
  figure = { "I - P %+.3f (95%% %+.3f to %+.3f)", mean(gain), low95(gain), high95(gain) },
  check = above(low95(gain), 0),
  knockout = knockout,
}

local assurance = at(read(inspector, "assurance"), 312) - at(read(partner, "assurance"), 312)
local gap = at(read(inspector, "rating_gap"), 312) - at(read(partner, "rating_gap"), 312)
row {
  title = "H7 assurance effort and rating-capability gap", target = "I > P, both", source = "H:L442; B:L1461",
  figure = { "assurance I - P %+.4f (low %+.4f); rating gap I - P %+.3f (%+.3f to %+.3f)", mean(assurance),
             low95(assurance), mean(gap), low95(gap), high95(gap) },
  check = { above(low95(assurance), 0), above(low95(gap), 0) },
  knockout = knockout,
}

local practising = at(read(partner, "practising_share"), 312) - at(read(inspector, "practising_share"), 312)
local culture = at(read(partner, "culture"), 312) - at(read(inspector, "culture"), 312)
row {
  title = "H7 partner builds capability", target = "P > I, practice and culture", source = "B:L437-508",
  figure = { "practising P - I %+.3f (low %+.3f); culture %+.3f (low %+.3f)", mean(practising), low95(practising),
             mean(culture), low95(culture) },
  check = { above(low95(practising), 0), above(low95(culture), 0) },
  knockout = knockout,
}
