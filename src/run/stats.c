/* Student's t quantile for the 95% intervals of replicate means. */
#include "qisim/stats.h"

double qisim_t975(int64_t df)
{
    static const double table[] = {0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                   2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                   2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1)
        return (double)NAN;
    return df <= 30 ? table[df] : 1.96 + 2.4 / (double)df;
}
