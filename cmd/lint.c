/* SPDX-License-Identifier: MIT */
/* caseaudit lint: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_lint(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit lint' is not implemented yet\n");
    return CA_SYSTEM;
}
