/* SPDX-License-Identifier: MIT */
/* caseaudit plan: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_plan(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit plan' is not implemented yet\n");
    return CA_SYSTEM;
}
