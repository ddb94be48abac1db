/* SPDX-License-Identifier: MIT */
/* caseaudit evaluate: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_evaluate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit evaluate' is not implemented yet\n");
    return CA_SYSTEM;
}
