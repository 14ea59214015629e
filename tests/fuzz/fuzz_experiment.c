/* libFuzzer harness: the experiment-file loader. Each input is an experiment file, loaded in
 * the sandbox and, when it loads, expanded into its design points. */
#include "fuzz.h"
#include "qisim/experiment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("experiment.lua", data, size);
    qisim_experiment *e = path ? calloc(1, sizeof *e) : NULL;
    if (!e)
        return 0;
    qisim_err err = {0};
    if (qisim_experiment_load(path, e, &err) == QISIM_OK) {
        qisim_point *pts = NULL;
        int32_t n = 0;
        if (qisim_experiment_points(e, &pts, &n, &err) == QISIM_OK)
            free(pts);
    }
    free(e);
    return 0;
}
