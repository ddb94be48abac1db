/* SPDX-License-Identifier: MIT */
/* caseaudit run: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit run' is not implemented yet\n");
    return CA_SYSTEM;
}
