/* libFuzzer harness: the checkpoint reader. Each input is a checkpoint file with its digest
 * recomputed (so the fuzzer gets past the checksum and tests every bounds check behind it),
 * restored into the world of tests/fuzz/checkpoint_world.lua (seed 7, as scripts/run-fuzz
 * makes the seed checkpoint); an accepted one is then run for a few weeks, so state the
 * reader lets through cannot crash the model either. */
#include <stddef.h>
#include <string.h>

#include "fuzz.h"
#include "qisim/io.h"
#include "qisim/model.h"
#include "qisim/scenario.h"

#ifndef FUZZ_WORLD
#define FUZZ_WORLD "tests/fuzz/checkpoint_world.lua"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (size >= sizeof(qisim_checkpoint_header)) {
        uint8_t *digest = copy + offsetof(qisim_checkpoint_header, digest);
        memset(digest, 0, 32);
        uint8_t d[32];
        qisim_sha256(copy, size, d);
        memcpy(digest, d, sizeof d);
    }
    const char *path = fuzz_file("checkpoint.qisim", copy, size);
    free(copy);
    qisim_world *w = qisim_world_create(7, 0);
    qisim_err err = {0};
    qisim_scenario *sc = path && w ? qisim_scenario_load(FUZZ_WORLD, w, NULL, &err) : NULL;
    if (sc && qisim_checkpoint_restore(w, path, &err) == QISIM_OK) {
        qisim_host host = qisim_scenario_host(sc);
        for (int week = 0; week < 3; week++)
            if (qisim_world_step(w, &host, &err) != QISIM_OK)
                break;
    }
    qisim_scenario_free(sc);
    qisim_world_free(w);
    return 0;
}
