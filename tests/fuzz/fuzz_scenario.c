/* libFuzzer harness: the scenario host. Each input is a scenario file, loaded in the sandbox
 * into a fresh world; a world that loads is run for at most three weeks (skipped above 20,000
 * staff, so the fuzzer spends its time on the host rather than on the model). */
#include "fuzz.h"
#include "qisim/model.h"
#include "qisim/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("scenario.lua", data, size);
    qisim_world *w = path ? qisim_world_create(11, 0) : NULL;
    if (!w)
        return 0;
    qisim_err err = {0};
    qisim_scenario *sc = qisim_scenario_load(path, w, NULL, &err);
    if (sc && w->n_staff <= 20000) {
        qisim_world_aggregate(w);
        qisim_host host = qisim_scenario_host(sc);
        int32_t weeks = qisim_scenario_weeks(sc) < 3 ? qisim_scenario_weeks(sc) : 3;
        for (int32_t week = 0; week < weeks; week++)
            if (qisim_world_step(w, &host, &err) != QISIM_OK)
                break;
    }
    qisim_scenario_free(sc);
    qisim_world_free(w);
    return 0;
}
