/* SPDX-License-Identifier: MIT */
/* caseaudit check: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit check' is not implemented yet\n");
    return CA_SYSTEM;
}
