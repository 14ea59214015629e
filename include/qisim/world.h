/* The simulated world: staff as a struct of arrays, teams, trusts, regions and regulators as
 * arrays of structs, the schedule and the event log; and the weekly step. */
#ifndef QISIM_WORLD_H
#define QISIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qisim/err.h"
#include "qisim/limits.h"
#include "qisim/params.h"
#include "qisim/rng.h"

enum { QISIM_NAME_MAX = 64 };

/* Who writes each piece of state. The comment of every field of model state ends with its
 * writers in brackets, so that a reader can see what a mechanism may change (ARCHITECTURE.md:
 * each piece of state has one owner, and another changes it only through a documented function):
 *   [culture]        only that mechanism writes it: src/model/culture.c, in its weekly step and
 *                    in its own interventions of model.h;
 *   [culture; data, regulation via qisim_culture_shake_safety]
 *                    the first named owns it; the others change it only through the function
 *                    named, which the owner provides (declared in model.h or here);
 *   [training, workforce]  shared state that each named mechanism writes itself (the state of a
 *                    person that several mechanisms act on), each as the comment says;
 *   [leadership; training clears it]  a request: the owner makes it, and b takes it up and
 *                    clears it;
 *   scenario         the scenario (src/lua) sets it between weeks with qisim_trust_set_field
 *                    (QISIM_TRUST_FIELDS), or through the intervention named after "via" when
 *                    that is filed under another mechanism;
 *   [build]          set only when the world is built (world.c) and by the scenario's building calls;
 *   [count]          the engine's aggregates of the staff, taken as the week closes (world.c);
 *   [engine], [network]  the stepping loop's bookkeeping (world.c), the staff network (network.c);
 *   "b directly"     b writes another's field without the owner's function: a known breach of
 *                    the rule, left for a later change.
 * Every field also gets its first value at build and may be restored from a checkpoint
 * (src/io/checkpoint.c); neither is named where something else writes the field later. A field
 * that is not state (a week's scratch) says so. */

/* ---- individuals ------------------------------------------------------------------------ */

enum qisim_role {
    QISIM_ROLE_NURSE, QISIM_ROLE_DOCTOR, QISIM_ROLE_ALLIED, QISIM_ROLE_SUPPORT,
    QISIM_ROLE_TEAM_LEADER, QISIM_ROLE_MANAGER, QISIM_ROLE_EXECUTIVE, QISIM_ROLE_TRAINEE,
    QISIM_N_ROLES
};

/* QI skill tiers, the CQC/NHS "dosing" pyramid (C:L495-502). */
enum qisim_tier {
    QISIM_TIER_NONE, QISIM_TIER_AWARENESS, QISIM_TIER_PRACTITIONER, QISIM_TIER_LEADER,
    QISIM_TIER_EXPERT, QISIM_N_TIERS
};

enum qisim_staff_flag {
    QISIM_STAFF_PRACTISING = 1u << 0,     /* actively uses QI in their work this week */
    QISIM_STAFF_OPINION_LEADER = 1u << 1, /* respected peer whose example weighs more */
    QISIM_STAFF_PROJECT_TRAINING = 1u << 2, /* did a real project during training (OR 13.6) */
    QISIM_STAFF_INTERPROFESSIONAL = 1u << 3, /* trained with other professions (OR 6.55) */
    QISIM_STAFF_VACANT = 1u << 4,         /* the post is empty: a vacancy (B:L2958) */
                                          /* 1u << 5 is free */
    QISIM_STAFF_CHAMPION = 1u << 6,       /* a committed champion: practises and does not lapse while in
                                             post and committed (staff.commitment), and is a credible
                                             core for contacts (R:L3125-3128) */
    QISIM_STAFF_BRIDGED = 1u << 7         /* an end of a secondment's bridge (qisim_network.bridges) */
};
enum { QISIM_STAFF_FLAGS_USED = 0xdfu }; /* every bit above but the free one */

/* Every staff array, for code that must touch all of them (growth, checkpoints, and workforce's
 * rotation, which moves a holder's whole record to another post; due_week, the post's own, moves
 * with it and is drawn afresh at once). */
#define QISIM_STAFF_FIELDS(X) \
    X(role) X(tier) X(flags) X(knowhow) X(threshold) X(motivation) X(strain) X(tenure) X(support_weeks) \
    X(since_training) X(commitment) X(reinforced) X(due_week)

/* Staff as a struct of arrays indexed by staff id. A team's staff occupy the contiguous ids
 * [team.first_staff, team.first_staff + team.n_staff): a leaver is replaced in the same slot. */
typedef struct qisim_staff {
    uint8_t *role;           /* enum qisim_role [build] */
    uint8_t *tier;           /* enum qisim_tier: highest formal QI training: courses (training),
                                a new starter's induction (workforce) [training, workforce] */
    uint8_t *flags;          /* enum qisim_staff_flag bits: practising [training, spread]; champion
                                (designated, stepped down) [spread, training]; course bits [training]; vacant,
                                opinion leader and a new holder's fresh start [workforce]; bridged
                                [network] */
    float *knowhow;          /* QI know-how, 0..1: use and decay (workforce), courses (training),
                                practising peers (spread), learning visits (interorg)
                                [workforce, training, spread, interorg] */
    float *threshold;        /* adoption threshold: share of weighted peers practising needed
                                (drawn for each new holder) [workforce] */
    float *motivation;       /* intrinsic motivation, 0..1 [workforce] */
    float *strain;           /* burnout, 0..1 [workforce] */
    uint16_t *tenure;        /* weeks in post (saturates) [workforce] */
    uint16_t *support_weeks; /* weeks of reinforcement (coaching, supervision) still to come:
                                training gives and runs down a place, workforce frees it when the
                                holder leaves or moves on [training, workforce] */
    uint16_t *since_training;/* weeks since the last course (saturates) [training, workforce] */
    float *commitment;       /* a champion's commitment, 0..1: 1 when designated, fades, renewed by
                                champions' meetings (training, interorg); unused for others
                                [spread, training, interorg] */
    uint16_t *reinforced;    /* weeks the member's current practice was reinforced by the organisation
                                or a coach (saturates; 0 when practice lapses and for a new starter)
                                [training, workforce] */
    uint32_t *due_week;      /* the week workforce next looks at the post: a chance to leave, a
                                vacancy filled or a trainee's rotation [workforce] */
} qisim_staff;

/* ---- teams --------------------------------------------------------------------------------- */

enum { QISIM_MAX_PROJECTS = 8 }; /* active plus sustaining; supported teams keep to projects.max_active active */

enum qisim_project_state { QISIM_PROJECT_NONE, QISIM_PROJECT_ACTIVE, QISIM_PROJECT_SUSTAINING };

/* A team's improvement project: PDSA cycles towards an uncertain change in reliability. */
typedef struct qisim_project {
    uint8_t state;       /* enum qisim_project_state [projects via qisim_project_set_state; shocks
                            via qisim_projects_abandon] */
    uint8_t cycles;      /* PDSA cycles completed [projects] */
    uint16_t weeks;      /* weeks since start (active) or since completion (sustaining) [projects] */
    double progress;      /* 0..1 of the cycles needed [projects] */
    uint8_t topic;       /* enum qisim_project_topic [projects] */
    double effect;        /* change if adopted (may be zero or negative): reliability points,
                            or for flow projects the share of waste removed [projects] */
    double gain;          /* what the adopted change currently adds (decays unless sustained) [projects] */
} qisim_project;

enum qisim_project_topic { QISIM_TOPIC_RELIABILITY, QISIM_TOPIC_FLOW };

/* The counts of a team's staff that every mechanism reads as last week's (qisim_team.counts);
 * w->team_counts holds them as this week ends, until the week closes [count]. */
typedef struct qisim_team_counts {
    int32_t n_in_post;       /* staff in post (posts less vacancies) */
    int32_t n_practising, n_leaders_practising, n_skilled_practising, n_permanent_practising;
    int32_t n_coached;       /* staff in post receiving coaching (support_weeks > 0) */
    int32_t n_peer_coaches;  /* practising staff trained to leader level or above: they coach too */
    int32_t n_tier[QISIM_N_TIERS];
    double mean_knowhow, mean_strain;
} qisim_team_counts;

/* A team's hot state: what the team-level phases read and write every week, kept compact so
 * that a pass over the teams touches few cache lines. The cold state (the team's name) and the
 * project portfolio live in world-owned arrays beside it: qisim_team_name, qisim_team_projects.
 * Who writes each field: the brackets (top of this file). */
typedef struct qisim_team {
    int32_t trust;           /* [build] */
    int32_t first_staff, n_staff; /* [build] */
    int32_t collaborative;   /* collaborative id, or -1 [interorg] */
    /* state */
    double psych_safety;      /* learning climate, 0..1 [culture; data, regulation via
                                 qisim_culture_shake_safety] */
    double demand;            /* demand relative to the team's baseline (1 = normal) [time] */
    double workload;          /* demand over clinical capacity; > 1 is over-stretched [time] */
    double capacity;          /* clinical capacity this week, per post: staff present, less QI time,
                                 plus overtime [time] */
    double qi_time;           /* share of a working week available for QI per practising member [time] */
    double qi_cost;           /* share of the present staff's week spent on QI this week [time] */
    double overtime;          /* extra hours worked to hold the waiting list, share of a week [time] */
    double course_load;       /* person-weeks of courses, induction, teaching and visits still to come:
                                 time delivers them [time; training, interorg, workforce via
                                 qisim_time_book] */
    double backlog;           /* waiting list relative to a usual service's (1 = usual) [outcomes] */
    double reliability;       /* share of care delivered as intended, 0..1 [outcomes] */
    double waiting;           /* flow: waiting relative to baseline (1 = baseline) [outcomes] */
    double feedback;          /* audit-and-feedback strength received, 0..1 [data] */
    double patient_involvement; /* 0 none .. 1 co-production [patients] */
    double base_reliability;  /* reliability at week 0: the level care returns to without QI [build] */
    double gains;             /* reliability added by changes that became standard work [projects] */
    double flow_gains;        /* efficiency added by flow changes that became standard work [projects] */
    double feedback_gain;     /* reliability added by audit and feedback (fades when it stops) [data] */
    double responsiveness;    /* how this team responds to feedback (drawn when feedback starts) [data] */
    double efficiency;        /* throughput per unit capacity (1 = week 0; flow projects raise it) [outcomes] */
    double success;           /* recent adopted changes, decaying (visible success for culture) [projects] */
    double overload;          /* active projects beyond what the team can carry, 0.. [projects] */
    int32_t sick;            /* off sick this week [workforce] */
    float strain_target;     /* where its members' strain heads this week, from last week's conditions
                                (set before time, followed in the learning pass) [workforce] */
    uint32_t next_due;       /* the earliest staff.due_week of its posts: workforce skips the team
                                until then (0: look now; a loaded checkpoint starts at 0) [workforce] */
    uint8_t projects_active, projects_sustaining; /* its project slots in each state, kept by
                                qisim_project_set_state so weekly readers need not visit the slots
                                [projects via qisim_project_set_state; shocks via qisim_projects_abandon] */
    /* aggregates of the team's staff as last week's learning pass counted them (taken over from
     * w->team_counts when the week closes). Only phases up to that pass (model.h: workforce ..
     * spread) and scheduled actions write the staff fields they count; a later phase's change to
     * them shows a week late (interorg's academy visits' know-how does, ODD §3). [count] */
    qisim_team_counts counts;
} qisim_team;


/* ---- organisations --------------------------------------------------------------------- */

enum qisim_trust_kind { QISIM_TRUST_ACUTE, QISIM_TRUST_MENTAL_HEALTH, QISIM_TRUST_COMMUNITY, QISIM_N_TRUST_KINDS };
enum qisim_strategy { QISIM_STRATEGY_NONE, QISIM_STRATEGY_COMPLIANCE, QISIM_STRATEGY_QI, QISIM_N_STRATEGIES };
/* CQC ratings (W:L99): 0 is "not yet rated". */
enum qisim_rating { QISIM_RATING_NONE, QISIM_RATING_INADEQUATE, QISIM_RATING_REQUIRES_IMPROVEMENT,
                    QISIM_RATING_GOOD, QISIM_RATING_OUTSTANDING };

/* Weekly counts kept per trust for outcomes and recording. */
typedef struct qisim_trust_stats {
    int32_t n_staff, n_practising, n_tier[QISIM_N_TIERS]; /* [count] */
    int32_t leavers, vacancies, sick;        /* this week: leavers, sick [workforce]; vacancies [count] */
    int32_t projects_active, projects_sustaining;                 /* [count] */
    int32_t projects_started, projects_completed, projects_failed; /* cumulative [projects; shocks
                                                                      via qisim_projects_abandon] */
    int32_t incidents_blamed, incidents_learned;                   /* cumulative [culture] */
    /* weighted means [count] */
    double knowhow, strain, psych_safety, reliability, waiting, demand, workload, efficiency;
    double qi_cost, overtime, backlog;
    double harm_rate;                        /* share of patients with an adverse event [outcomes] */
} qisim_trust_stats;

typedef struct qisim_trust {
    char name[QISIM_NAME_MAX]; /* [build] */
    int32_t kind, region;    /* [build] */
    int32_t first_team, n_teams, first_staff, n_staff; /* [build] */
    /* board and leadership */
    double board_commitment;  /* 0..1 [leadership; interorg via qisim_leadership_take_charge; scenario] */
    double style;             /* 0 command-and-control .. 1 enabling [leadership; interorg via
                                 qisim_leadership_take_charge; scenario] */
    int32_t strategy;        /* enum qisim_strategy [leadership; interorg via qisim_leadership_take_charge] */
    bool board_decides;      /* the board sets strategy and investment itself; false once the
                                scenario imposes either, as a policy lever [leadership; time,
                                training, scenario via qisim_policy_imposed] */
    double investment;        /* what the board puts into QI, 0..1 of its ceiling [leadership] */
    double training_due;      /* share of staff the board sends on a practitioner course at the
                                 next training phase [leadership; training clears it as it enrols] */
    int32_t ceo_tenure;      /* weeks [leadership; interorg via qisim_leadership_take_charge] */
    bool ceo_qi_experience;  /* [leadership; interorg via qisim_leadership_take_charge] */
    double due_leave_bound, due_fill; /* the parameters its posts' staff.due_week were drawn with:
                                         workforce redraws them all when these change [workforce] */
    int32_t due_rotation;    /* (the same) [workforce] */
    int64_t due_stepped;     /* the week workforce last stepped its posts: after weeks with workforce
                                off, their waits are drawn afresh [workforce] */
    /* infrastructure and investment */
    int32_t coaches;         /* QI coaches (FTE) [leadership; scenario via qisim_training_set_coaches] */
    int32_t induction_tier;  /* tier new starters receive at induction (enum qisim_tier) [training] */
    int32_t central_team;    /* central QI team (FTE) [leadership; interorg via qisim_leadership_take_charge] */
    double data_maturity;     /* 0..1: timeliness and trust of data for improvement [data; scenario] */
    double data_target;       /* maturity that current investment is building towards [data;
                                 scenario: setting data_maturity sets it too] */
    int32_t feedback_weeks;  /* weeks of audit and feedback still to run [data] */
    double feedback_strength; /* 0..1 from its design (repeated, colleague, targets, plans) [data] */
    double data_for_improvement; /* 0 data used to judge and assure .. 1 used to learn [data;
                                    interorg via qisim_data_take_use; scenario] */
    double protected_time;    /* share of working time protected for QI: the board's policy, which
                                 time applies [leadership; scenario via qisim_time_set_protected or
                                 qisim_trust_set_field] */
    double time_cut;          /* share of protected time managers withdraw under pressure [leadership] */
    double pressure;          /* operational pressure on its services this week, mean per post [time] */
    double finance_pressure;  /* 0..1 [build, scenario] */
    double patient_partnership; /* policy level 0 consultation .. 1 co-production [patients; scenario] */
    double qi_spend_pending; /* pounds booked since the last outcomes phase (courses, investments)
                                [outcomes; data, interorg, leadership, training via qisim_outcomes_book] */
    double qi_spend_week, qi_spend_total; /* pounds: this week's (closed by outcomes), since week 0 [outcomes] */
    /* culture and the journey */
    double culture;           /* organisation culture for improvement, 0..1 (slow) [culture; scenario] */
    double wins;              /* recent adopted changes per team, decaying (visible results) [projects] */
    double leaders_developed; /* leadership development received, decaying 0..1 [leadership] */
    bool approach_adopted;   /* has an organisation-wide approach: lasting, unlike the step [journey] */
    int32_t journey_weeks;   /* weeks on the current step [journey] */
    int32_t journey_failing; /* weeks in a row the current step's condition has failed [journey] */
    int32_t journey_stage;   /* Health Foundation improvement journey (H:L50-57): 0 no
                                organisation-wide approach, 1 assessing readiness .. 6 sustaining [journey] */
    /* oversight */
    int32_t rating;          /* enum qisim_rating [regulation] */
    bool special_measures;   /* [regulation] */
    int32_t special_measures_weeks, weeks_since_inspection; /* [regulation] */
    double regulatory_load;   /* regulatory demands this week, 0..1 of leadership attention [regulation] */
    double relational_trust;  /* with the regulator, 0..1 [regulation] */
    /* between organisations */
    int32_t network;         /* peer network id, or -1 [interorg] */
    int32_t partner;         /* exemplar trust supporting this one, or -1 [interorg] */
    double peer_support;      /* practice and trust seen in peer organisations, 0..1 [interorg] */
    /* shocks */
    double demand_level;      /* sustained demand on its services, x usual (a scenario lever) [build, scenario] */
    double parallel_initiatives; /* other major initiatives running alongside QI (a scenario lever, 0..20):
                                    a QI programme bundled with them has a less distinct identity
                                    (B:L732) [build, scenario] */
    double shock_demand;      /* demand multiplier from crises [shocks] */
    int32_t shock_until;     /* the crisis runs while week < shock_until [shocks] */
    double setback;           /* disruption from restructuring or IT go-live, decays [shocks; interorg
                                 via qisim_shocks_restructure (take-over)] */
    /* the staff network (network.c), summed over the trust's posts when it is built */
    double net_ties;          /* ties, each counted from its post's side [network] */
    double net_long_ties;     /* of those, ties to a post in another team [network] */
    double net_clustering;    /* sum of the posts' local clustering coefficients [network] */
    qisim_trust_stats stats; /* recomputed once a week (each field's writers: qisim_trust_stats) */
    /* governance (issue 8): strategic response to regulation, relational trust, partnerships */
    double assurance;         /* share of the staff's week spent on assurance: inspection readiness,
                                 documentation, targets (time charges it) [regulation] */
    double compliance;        /* compliance picture the inspector sees, 0..1: built by assurance,
                                 fades without it [regulation] */
    double rating_gap;        /* last rating minus the rating the true quality score gives [regulation] */
    int32_t inspection_due;  /* weeks from the last inspection to the next; 0: the rating's cadence [regulation] */
    int32_t inspections;     /* inspections since week 0 [regulation] */
    bool compact;            /* a compact with the regulator: relational trust builds towards 1 [regulation] */
    int32_t partner_until;   /* the exemplar partnership ends at this week; 0: open-ended [interorg] */
    int32_t coaches_lent;    /* coaches this trust lends its partners this week (training reads: the
                                lender loses them) [interorg] */
    int32_t coaches_borrowed;/* coaches its exemplar partner lends it this week [interorg] */
    double assurance_spend_total; /* pounds of staff time spent on assurance since week 0 [regulation] */
    double support_spend_total;   /* pounds the supporting bodies spent on it since week 0: special-
                                     measures support and contact (regulation), its region's academy
                                     (interorg) [regulation, interorg] */
    /* train-the-trainer (issue 7, training.c): building coaching capability from within */
    bool trains_trainers;    /* the trust runs an in-house programme: experienced practitioners
                                step up to coach and its practising leaders teach colleagues [training] */
} qisim_trust;

typedef struct qisim_region {
    char name[QISIM_NAME_MAX]; /* [build] */
    /* a regional improvement academy (interorg.c; H:L298-302): learning events while
     * academy_start <= week < academy_until */
    int32_t academy_start, academy_until; /* [interorg] */
} qisim_region;

typedef struct qisim_regulator {
    char name[QISIM_NAME_MAX]; /* [build] */
    double stance;            /* 0 inspector .. 1 improvement partner [regulation] */
    bool rates;              /* inspects and rates trusts (CQC-like) [build] */
    double demands;           /* regulatory load it places on each trust, 0..1 [build] */
    bool risk_based;         /* brings an inspection forward on a risk signal (harm) [regulation] */
    int32_t budget;          /* inspections it can carry out per 52 weeks; 0: no limit [regulation] */
    int32_t budget_used;     /* inspections carried out in the current 52-week budget year [regulation] */
    int32_t budget_year;     /* the week its current budget year began [regulation] */
} qisim_regulator;

/* A cohort of teams learning together over a fixed period (C:L784, L803-805); every field is set
 * when it is made [interorg]. */
typedef struct qisim_collaborative {
    char name[QISIM_NAME_MAX];
    int32_t start_week, weeks;
    int32_t n_teams;
    int32_t topic;           /* enum qisim_project_topic its projects work on */
    bool adapt;              /* teams adapt shared changes to context rather than copy them */
} qisim_collaborative;

/* ---- schedule and events ---------------------------------------------------------------- */

enum qisim_when { QISIM_AT, QISIM_EVERY, QISIM_WHEN };

/* Something the scenario asked to happen. The engine only knows references: the host
 * (the Lua layer) resolves them to functions through qisim_host. */
typedef struct qisim_scheduled {
    int32_t kind;            /* enum qisim_when */
    int32_t week, period;    /* AT: at week; EVERY: first week and period */
    int32_t action, condition; /* host references; condition only for WHEN */
    bool once, done;         /* WHEN fires once unless repeat was asked */
} qisim_scheduled;

/* The scenario layer the engine calls back. call() runs reference ref; for a condition it
 * stores its truth in *truth (pass NULL for an action). Returns a qisim status. */
typedef struct qisim_host {
    void *ctx;
    int (*call)(void *ctx, int32_t ref, bool *truth, qisim_err *err);
} qisim_host;

enum qisim_level { QISIM_LEVEL_TEAM, QISIM_LEVEL_TRUST, QISIM_LEVEL_REGION, QISIM_LEVEL_SYSTEM, QISIM_N_LEVELS };

typedef struct qisim_event {
    int32_t week;
    int32_t level, entity;   /* enum qisim_level and the entity's id */
    char type[24];           /* "inspection", "ceo_change", "training", ... */
    char detail[96];
} qisim_event;

/* ---- the staff network ------------------------------------------------------------------- */

/* Undirected ties between posts (staff slots) in CSR form: the contacts of post i are
 * ties[offsets[i] .. offsets[i + 1]), sorted, without duplicates; a tie appears once in the
 * row of each of its two posts. Built once when the first week starts (network.c) and owned
 * by the world. Ties belong to posts: a replacement inherits the post's ties. */
/* A temporary tie between two posts: a secondment's "fresh eyes" (C:L750), until a week. */
typedef struct qisim_bridge {
    int32_t a, b;            /* posts; both ends carry QISIM_STAFF_BRIDGED while it lasts [network] */
    int32_t until;           /* the bridge counts while week < until [network] */
} qisim_bridge;

typedef struct qisim_network {
    int32_t *offsets;        /* n_staff + 1 entries; NULL when the world has no network [network] */
    int32_t *ties;           /* offsets[n_staff] post ids [network] */
    qisim_bridge *bridges;   /* secondments' temporary ties, in the order made (few: scenario-made) [network] */
    int32_t n_bridges, cap_bridges; /* [network] */
    int32_t *former;         /* n_staff: a post of the team its holder rotated from, or -1; a one-way tie
                                that lasts while the holder is new in post [network; workforce via
                                qisim_network_moved_in] */
    uint8_t *seen;           /* n_staff: what contacts see of each post's holder (QISIM_SEEN_* bits), as
                                at the end of last week: practice travels along ties a week late, so
                                the update is synchronous whatever order the teams are visited in
                                [count; network at a new holder or qisim_network_moved_in] */
    uint8_t *seen_next;      /* n_staff: the same as this week ends, written as each team is counted
                                and swapped with seen when the week closes [count; not state] */
} qisim_network;

/* What a contact sees of a post's holder (qisim_network.seen). */
enum { QISIM_SEEN_PRACTISING = 1u << 0, QISIM_SEEN_CORE = 1u << 1 /* practising and a credible core:
                                                                      an opinion leader or a champion */ };

/* ---- the world ---------------------------------------------------------------------------- */

typedef struct qisim_world {
    qisim_params params;     /* [build, scenario; the command line's are fixed] */
    bool param_fixed[QISIM_N_PARAMS]; /* set on the command line: the scenario's param() leaves it [build] */
    uint64_t seed;           /* [build] */
    int32_t replicate;       /* [build] */
    int32_t week;            /* the week about to be simulated; 0 before the first step [engine] */
    bool started;            /* a step has run: only mid-run parameters may change [engine] */
    qisim_rng rng[QISIM_N_STREAMS]; /* each stream drawn only by its mechanism (rng.h) */

    qisim_staff staff;
    int32_t n_staff, cap_staff;
    qisim_team *teams;
    int32_t n_teams, cap_teams;
    char (*team_names)[QISIM_NAME_MAX]; /* n_teams: each team's name (cold; qisim_team_name) */
    int32_t cap_team_names;
    qisim_project (*team_projects)[QISIM_MAX_PROJECTS]; /* n_teams portfolios, a team's slots contiguous
                                (qisim_team_projects; projects.c runs them) */
    int32_t cap_team_projects;
    qisim_trust *trusts;
    int32_t n_trusts, cap_trusts;
    int32_t *trust_index;    /* trust names hashed to ids, open addressing (-1 empty), n_trust_index slots */
    int32_t n_trust_index;
    qisim_region *regions;
    int32_t n_regions, cap_regions;
    qisim_regulator *regulators;
    int32_t n_regulators, cap_regulators;
    qisim_collaborative *collaboratives;
    int32_t n_collaboratives, cap_collaboratives;
    qisim_network net;       /* empty unless network.on */
    qisim_team_counts *team_counts; /* n_teams: the counts as this week ends, until the week closes;
                                allocated when the first week starts; not state */
    int32_t *movers;         /* workforce's scratch for trainees rotating this week (3 x n_trainee_posts +
                                n_regions + 1 entries), allocated when the first week starts; not state */
    int32_t n_trainee_posts; /* [build] */

    /* national policy: a programme in force, mandated (top-down) or peer-led (B:L856) */
    int32_t national_until;  /* the national programme runs while week < national_until [shocks] */
    bool national_mandated;  /* [shocks] */

    qisim_scheduled *schedule; /* [build: qisim_world_schedule; engine marks them done] */
    int32_t n_schedule, cap_schedule;
    qisim_event *events;     /* a record, not state: any mechanism appends with qisim_world_log */
    int32_t n_events, cap_events;
} qisim_world;

/* Team t's name, and its QISIM_MAX_PROJECTS project slots. */
static inline const char *qisim_team_name(const qisim_world *w, int32_t t) { return w->team_names[t]; }
static inline qisim_project *qisim_team_projects(const qisim_world *w, int32_t t) { return w->team_projects[t]; }

/* Moves a project of `team` (one of its qisim_team_projects slots) to `state`, keeping the
 * team's counts: every change of a slot's state goes through here. */
static inline void qisim_project_set_state(qisim_team *team, qisim_project *pr, int state)
{
    team->projects_active = (uint8_t)(team->projects_active - (pr->state == QISIM_PROJECT_ACTIVE) +
                                      (state == QISIM_PROJECT_ACTIVE));
    team->projects_sustaining = (uint8_t)(team->projects_sustaining - (pr->state == QISIM_PROJECT_SUSTAINING) +
                                          (state == QISIM_PROJECT_SUSTAINING));
    pr->state = (uint8_t)state;
}

/* Creates an empty world with default parameters and its RNG streams seeded from
 * (seed, replicate). Returns NULL only when memory runs out. Free with qisim_world_free. */
qisim_world *qisim_world_create(uint64_t seed, int32_t replicate);
void qisim_world_free(qisim_world *w);

/* The one way a world's array grows (every array of qisim_world that grows after creation,
 * whichever file grows it): *items, of `size`-byte entries and capacity *cap, is made to hold
 * at least `need` entries, doubling from `first` (> 0), and every new entry is zeroed, so
 * that no uninitialised byte (padding included) reaches a checkpoint. On QISIM_ENOMEM (also
 * when the capacity would pass INT32_MAX) *items and *cap are left as they were. */
int qisim_world_grow(void **items, int32_t *cap, int32_t need, size_t size, int32_t first);

/* What a new trust looks like; qisim_trust_spec_defaults fills the defaults. */
typedef struct qisim_trust_spec {
    const char *name;
    int32_t kind, region;
    int32_t staff, teams;          /* generated: team sizes drawn around staff / teams */
    const int32_t *team_sizes;     /* or listed: n_team_sizes explicit sizes (staff, teams ignored) */
    const char *const *team_names; /* optional, parallel to team_sizes */
    int32_t n_team_sizes;
    double board_commitment, style, data_maturity, finance_pressure, culture, reliability;
    int32_t rating;
} qisim_trust_spec;

void qisim_trust_spec_defaults(qisim_trust_spec *s);

/* Adds a region / trust (with its teams and staff) / regulator and returns its id in *id.
 * Only before the first step. QISIM_EINVAL with a message naming the bad field. */
int qisim_world_add_region(qisim_world *w, const char *name, int32_t *id, qisim_err *err);
int qisim_world_add_trust(qisim_world *w, const qisim_trust_spec *s, int32_t *id, qisim_err *err);
int qisim_world_add_regulator(qisim_world *w, const char *name, double stance, bool rates,
                              double demands, int32_t *id, qisim_err *err);

/* Schedules host reference `action`: at week, or every `period` weeks from `week`, or each
 * week when `condition` holds (once, or every time if !once). */
int qisim_world_schedule(qisim_world *w, const qisim_scheduled *s, qisim_err *err);

/* Appends an event at the current week. Never fails: on memory exhaustion the event is
 * dropped (the event log is a record, not state the model reads). */
void qisim_world_log(qisim_world *w, int32_t level, int32_t entity, const char *type,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Recomputes team and trust aggregates from staff state now (after building). */
void qisim_world_aggregate(qisim_world *w);
/* Counts team t's staff as this week ends into w->team_counts[t], and with a network what
 * contacts will see of each (net.seen_next): once per team per week, in the model's pass over
 * the staff when one of drift, training and spread is off (the fused pass counts each member
 * as it goes, with count.h's per-member step, which this function uses too). */
void qisim_world_count_team(qisim_world *w, int32_t t);
/* Closes the week: the counts become the teams' aggregates, what contacts see moves on a week,
 * and the trust aggregates are recomputed from the teams. */
void qisim_world_close_week(qisim_world *w);

/* A simulated week of a model: every mechanism in its phase order (src/model/phases.c). The
 * engine knows only this shape, so it builds and links without the model. */
typedef void qisim_week_fn(qisim_world *w);

/* Simulates one week with `week`: the scheduled scenario actions due this week, then `week`,
 * which ends by closing the week; advances w->week. A host error stops the step and is
 * returned with its message; QISIM_ENOMEM if the first week's scratch cannot be allocated. */
int qisim_world_advance(qisim_world *w, qisim_week_fn *week, const qisim_host *host, qisim_err *err);

/* QISIM_OK if trust is a valid trust id, else QISIM_EINVAL with a message. */
int qisim_world_check_trust(const qisim_world *w, int32_t trust, qisim_err *err);

/* Looks up an entity by name; -1 when absent. */
int32_t qisim_world_find_trust(const qisim_world *w, const char *name);
int32_t qisim_world_find_region(const qisim_world *w, const char *name);

/* The trust state a scenario may read and set directly (trust.<field> in Lua): X(field, max),
 * each a double of qisim_trust in [0, max]. The one list: the names, the setter's checks and
 * the Lua bindings all expand it (as QISIM_STAFF_FIELDS is for the staff arrays). */
#define QISIM_TRUST_FIELDS(X)                                                                       \
    X(board_commitment, 1.0) X(style, 1.0) X(culture, 1.0) X(data_maturity, 1.0) X(finance_pressure, 1.0) \
    X(protected_time, 0.5) X(data_for_improvement, 1.0) X(patient_partnership, 1.0) X(demand_level, 5.0)  \
    X(parallel_initiatives, 20.0)

/* A scenario that sets a trust's strategy or investment imposes a policy: from then on the
 * trust's board no longer decides them (leadership.c), and the event log says so once. Setting
 * protected_time with qisim_trust_set_field imposes it too. */
static inline void qisim_policy_imposed(qisim_world *w, int32_t trust)
{
    if (w->trusts[trust].board_decides) {
        w->trusts[trust].board_decides = false;
        qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "board_decides", "%s", "off: policy set by the scenario");
    }
}

/* Sets one of QISIM_TRUST_FIELDS; QISIM_EINVAL names the field when it is not one or the
 * value is outside [0, max]. */
int qisim_trust_set_field(qisim_world *w, int32_t trust, const char *field, double value, qisim_err *err);
/* NULL-terminated list of those field names, in QISIM_TRUST_FIELDS order. */
extern const char *const qisim_trust_field_names[];
/* The index of a field in qisim_trust_field_names, or -1. */
int qisim_trust_field_find(const char *field);
/* The value of field i (from qisim_trust_field_find) of trust t. */
double qisim_trust_field_get(const qisim_trust *t, int i);

/* Builds w->net from the network.* parameters with the network stream, and each trust's
 * net_* sums (clustering included). Called by qisim_world_advance before the first week when
 * network.on is set; tests may call it directly. QISIM_ENOMEM or QISIM_EINVAL (more ties
 * than int32_t ids can index) with a message; the world is then left without a network. */
int qisim_network_build(qisim_world *w, qisim_err *err);
void qisim_network_free(qisim_network *net);
/* Bytes held by a network's arrays, its bridges included (0 when there is none). */
size_t qisim_network_bytes(const qisim_network *net, int32_t n_staff);
/* What contacts see of a holder with flags f (QISIM_SEEN_* bits). */
static inline uint8_t qisim_network_seen_of(uint8_t f)
{
    if ((f & (QISIM_STAFF_PRACTISING | QISIM_STAFF_VACANT)) != QISIM_STAFF_PRACTISING)
        return 0;
    return (uint8_t)(QISIM_SEEN_PRACTISING | ((f & (QISIM_STAFF_OPINION_LEADER | QISIM_STAFF_CHAMPION)) ? QISIM_SEEN_CORE : 0));
}
/* Post i has a new holder (hired, or a trainee rotated in): the old holder's secondment and
 * tie back to a former team end with them, and contacts see nothing of the new one yet. */
void qisim_network_new_holder(qisim_world *w, int32_t i);
/* A rotating trainee now holds `post`, having left `old_post`: contacts see nothing of them until
 * a week has been counted, and they keep a tie back to the old post's nearest contact (workforce's
 * rotation; nothing without a staff network). */
void qisim_network_moved_in(qisim_world *w, int32_t post, int32_t old_post);

/* What member i of `team` sees of practice through their ties (the world has a network): the
 * share of contacts in post who practise, an opinion leader counting leader_weight; how many
 * distinct contacts practise; whether one of them is a credible core member (an opinion leader
 * or a champion, R:L3125-3128). Contacts' practice is as it was at the end of last week
 * (net.seen); a post's new holder shows none until a week has closed. A tie to another team
 * counts only once both ends have held their posts network.tie_weeks: ties belong to posts, and a leaver takes the personal ones with them. A
 * trainee who rotated in keeps one tie back to their old team (net.former) for those weeks.
 * Reads row i once. */
typedef struct qisim_contacts {
    double share;
    int32_t practising;
    bool core;
} qisim_contacts;
qisim_contacts qisim_network_contacts(const qisim_world *w, const qisim_team *team, int32_t i, double leader_weight);

/* A secondment (C:L750: "a fresh pair of eyes"): the `staff` members of team `from` in post with
 * the most know-how (equal know-how in id order) are tied, for `weeks`, to every member of team
 * `to`, so practice and learning pass both ways; they keep their posts and their own ties. A
 * pair already tied is not tied twice. QISIM_EINVAL (no network, a team twice, out of range)
 * or QISIM_ENOMEM; the world is unchanged on error. */
int qisim_network_second(qisim_world *w, int32_t from, int32_t to, int32_t staff, int32_t weeks, qisim_err *err);
/* The posts in post of team `team`, most know-how first (equal know-how in id order), as a
 * malloc'd array of *n ids (the caller frees it); NULL on out of memory. Who a team sends on a
 * secondment or shows a learning visit. */
int32_t *qisim_team_most_skilled(const qisim_world *w, int32_t team, int32_t *n);
/* One temporary tie between posts a and b for `weeks` (1..520), e.g. between champions of two
 * trusts (interorg.c); nothing is added when they are tied already. QISIM_EINVAL (no network, bad
 * posts, more than the cap of live ties) or QISIM_ENOMEM; the world is unchanged on error. */
int qisim_network_bridge(qisim_world *w, int32_t a, int32_t b, int32_t weeks, qisim_err *err);
/* Room for `more` temporary ties beyond the live ones, so that that many qisim_network_bridge
 * calls cannot run out of memory part-way (a learning visit's ties are all or none).
 * QISIM_EINVAL past the cap of live ties, QISIM_ENOMEM; the world's ties are unchanged. */
int qisim_network_reserve_bridges(qisim_world *w, int64_t more, qisim_err *err);
/* Drops expired bridges (called by the weekly step before the mechanisms run). */
void qisim_network_expire_bridges(qisim_world *w);
/* Drops every bridge of post i (its holder leaves or moves on: they take the tie with them). */
void qisim_network_drop_bridges(qisim_world *w, int32_t i);

/* ---- whom an intervention reaches ---------------------------------------------------------- */

/* Which staff of a trust a targeted intervention (training, champions) reaches. */
enum qisim_target_who {
    QISIM_TARGET_ANYONE,          /* each eligible member with chance `share` */
    QISIM_TARGET_OPINION_LEADERS, /* each eligible opinion leader with chance `share` */
    QISIM_TARGET_CONNECTED,       /* the `share` of eligible members with the most ties (needs a network) */
    QISIM_N_TARGETS
};
extern const char *const qisim_target_names[];

typedef struct qisim_target {
    const int32_t *teams;  /* teams of the trust to reach; NULL: all of them */
    int32_t n_teams;
    int who;               /* enum qisim_target_who */
    double share;          /* (0, 1] */
} qisim_target;

/* Chooses staff of `trust` for an intervention: the eligible members (eligible(w, i, ctx)
 * true) of the target's teams, by its rule, visited in id order with one draw from r per
 * eligible member for the chance rules (none for "connected": the ranking by degree, ties in
 * id order, is deterministic). *chosen gets a malloc'd list of ids in ascending order (the
 * caller frees it).
 * QISIM_EINVAL (a team of another trust, "connected" without a network) or QISIM_ENOMEM. */
int qisim_target_pick(const qisim_world *w, int32_t trust, const qisim_target *target,
                      bool (*eligible)(const qisim_world *w, int32_t i, const void *ctx), const void *ctx,
                      qisim_rng *r, int32_t **chosen, int32_t *n_chosen, qisim_err *err);

/* Bytes held by the world's arrays (for the benchmark's bytes-per-staff figure). */
size_t qisim_world_bytes(const qisim_world *w);

/* Names of the enums, indexed by value and NULL-terminated: the scenario API's option names
 * and the words in event details ("practitioner", "qi", "flow"). */
extern const char *const qisim_tier_names[];
extern const char *const qisim_role_names[];
extern const char *const qisim_trust_kind_names[];
extern const char *const qisim_strategy_names[];
extern const char *const qisim_rating_names[];
extern const char *const qisim_topic_names[];

/* The name of one value, "?" when out of range. */
const char *qisim_tier_name(int tier);
const char *qisim_strategy_name(int strategy);
const char *qisim_rating_name(int rating);
const char *qisim_topic_name(int topic);

static inline bool qisim_in_crisis(const qisim_world *w, const qisim_trust *t) { return w->week < t->shock_until; }
static inline bool qisim_national_programme_running(const qisim_world *w) { return w->week < w->national_until; }

static inline double qisim_clamp01(double x) { return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x; }

/* fmin and fmax, inline: libm's are calls, and the weekly team-level steps make many. The same
 * value as libm's for every pair (a NaN loses). Of two equal zeros it returns b; C leaves that
 * choice open, and gcc's own expansion of fmin and the library's call differ on it, so nothing
 * may rest on the sign of a zero that a min or max returns (the CSV writer prints -0 as 0). */
static inline double qisim_fmin(double a, double b) { return a < b || b != b ? a : b; }
static inline double qisim_fmax(double a, double b) { return a > b || b != b ? a : b; }

#endif
