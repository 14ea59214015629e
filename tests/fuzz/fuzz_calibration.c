/* libFuzzer harness: the calibration-file loader. Each input is a calibration file. */
#include "fuzz.h"
#include "qisim/calibrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("calibration.lua", data, size);
    qisim_calibration *c = path ? calloc(1, sizeof *c) : NULL;
    if (!c)
        return 0;
    qisim_err err = {0};
    qisim_calibration_load(path, c, &err);
    free(c);
    return 0;
}
