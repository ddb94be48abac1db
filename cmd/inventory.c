/* SPDX-License-Identifier: MIT */
/* caseaudit inventory: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_inventory(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit inventory' is not implemented yet\n");
    return CA_SYSTEM;
}
