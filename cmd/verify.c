/* SPDX-License-Identifier: MIT */
/* caseaudit verify: placeholder until the command lands. */
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_verify(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "error: 'caseaudit verify' is not implemented yet\n");
    return CA_SYSTEM;
}
