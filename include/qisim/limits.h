/* The fixed limits on what a scenario or the command line may ask for, named once. */
#ifndef QISIM_LIMITS_H
#define QISIM_LIMITS_H

/* Not model numbers: bounds that keep hostile or mistyped input from exhausting memory or
 * overflowing a count, wide enough for any real study. Every check and message uses these. */
enum {
    QISIM_MAX_WEEKS = 5200,            /* a run's horizon and any span of weeks in it (100 years) */
    QISIM_MIN_TEAM_SIZE = 2,           /* staff in a team */
    QISIM_MAX_TEAM_SIZE = 10000,
    QISIM_MAX_TRUST_TEAMS = 100000,    /* teams in a trust */
    QISIM_MAX_TRUST_STAFF = 10000000,  /* staff in a trust */
    QISIM_MAX_FTE = 10000,             /* a trust's QI coaches, or its central QI team's FTE */
    QISIM_MAX_GROUP = 1000,            /* teams in a collaborative, trusts in a peer network */
    QISIM_MAX_REPLICATES = 1000000,    /* replicates of a run (--reps) */
    QISIM_MAX_BRIDGES = 20000          /* live temporary ties: secondments, learning visits,
                                          champions' meetings */
};

#endif
