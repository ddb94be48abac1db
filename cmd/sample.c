/* SPDX-License-Identifier: MIT */
/* caseaudit sample: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_sample(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit sample' is not implemented yet\n");
    return CA_SYSTEM;
}
