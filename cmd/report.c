/* SPDX-License-Identifier: MIT */
/* caseaudit report: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_report(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit report' is not implemented yet\n");
    return CA_SYSTEM;
}
