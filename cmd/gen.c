/* SPDX-License-Identifier: MIT */
/* caseaudit gen: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_gen(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit gen' is not implemented yet\n");
    return CA_SYSTEM;
}
