/* Mechanism 11: patients as partners. */

/* Teams' involvement moves from consultation towards co-production over years, following the
 * trust's partnership policy; where few staff practise QI involvement stays tokenistic. Projects
 * read it: involvement makes changes more relevant. */
#include "qisim/model.h"

void qisim_patients_step(qisim_world *w)
{
    const double *p = w->params.v;
    double rate = 1.0 / p[QP_PATIENTS_INVOLVEMENT_WEEKS], tokenism = p[QP_PATIENTS_TOKENISM_SHARE];
    for (int32_t k = 0; k < w->n_trusts; k++) {
        const qisim_trust *tr = &w->trusts[k];
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            qisim_team *team = &w->teams[t];
            int32_t present = team->counts.n_in_post;
            double share = present ? (double)team->counts.n_practising / present : 0.0;
            double genuine = share < tokenism ? share / tokenism : 1.0;
            double gap = tr->patient_partnership - team->patient_involvement;
            /* Rising needs genuine engagement; falling (policy withdrawn) does not. */
            team->patient_involvement += (rate * gap * (gap > 0.0 ? genuine : 1.0));
        }
    }
}

int qisim_patients_set_partnership(qisim_world *w, int32_t trust, double level, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    if (!(level >= 0.0 && level <= 1.0))
        return qisim_err_set(err, QISIM_EINVAL, "patient partnership level %g is outside [0, 1]", level);
    w->trusts[trust].patient_partnership = level;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "patient_partnership", "level=%g", level);
    return QISIM_OK;
}
