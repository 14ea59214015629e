/* qisim validate: the published patterns of MODEL.md §5, each a figure against a target. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_validate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("qisim validate: not implemented yet\n", stderr);
    return CLI_FAILED;
}
