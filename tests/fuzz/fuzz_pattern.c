/* libFuzzer harness: the pattern-file loader and the engine's evaluation. Each input is a
 * pattern file; when it loads, every row is judged on small made-up traces. */
#include "fuzz.h"
#include "qisim/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("pattern.lua", data, size);
    qisim_pattern *p = path ? calloc(1, sizeof *p) : NULL;
    if (!p)
        return 0;
    qisim_err err = {0};
    if (qisim_pattern_load(path, p, &err) == QISIM_OK) {
        enum { REPS = 2, WEEKS = 30 };
        qisim_pattern_data d = {REPS, p->n_series, calloc((size_t)(REPS * (p->n_series ? p->n_series : 1)), sizeof(qisim_trace))};
        for (int i = 0; d.traces && i < REPS * p->n_series; i++) {
            int elems = 1 + i % 3;
            d.traces[i] = (qisim_trace){calloc((size_t)((WEEKS + 1) * elems), sizeof(double)), WEEKS, elems};
            for (int k = 0; d.traces[i].v && k < (WEEKS + 1) * elems; k++)
                d.traces[i].v[k] = (k * 7 + i) % 11 / 10.0;
        }
        for (int r = 0; d.traces && r < p->n_rows; r++) {
            qisim_row_result res;
            qisim_pattern_judge_row(p, &d, r, &res);
        }
        qisim_pattern_target t[64];
        qisim_pattern_targets(p, t, 64);
        qisim_pattern_data_free(&d);
    }
    free(p);
    return 0;
}
