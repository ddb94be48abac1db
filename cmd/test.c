/* SPDX-License-Identifier: MIT */
/* caseaudit test: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_test(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit test' is not implemented yet\n");
    return CA_SYSTEM;
}
