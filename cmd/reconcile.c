/* SPDX-License-Identifier: MIT */
/* caseaudit reconcile: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_reconcile(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit reconcile' is not implemented yet\n");
    return CA_SYSTEM;
}
