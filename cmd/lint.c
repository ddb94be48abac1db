/* SPDX-License-Identifier: MIT */
/*
 * caseaudit lint: load rule files strictly, compile their patterns and run
 * their inline examples, reporting every problem as file:line:col (not
 * just the first), so that a rule author fixes a whole set in one pass.
 * Exit 0 when every rule is sound, 3 when any is not.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "engine/rules.h"

static const char usage[] = "caseaudit lint [PATH...]";

static void print_help(void)
{
    printf(
        "usage: %s\n\n"
        "Load rule files (one rule per YAML file; directories are searched "
        "for\n"
        "*.yaml and *.yml), check them strictly, compile their patterns and "
        "run\n"
        "their inline examples.  Every problem is reported as file:line:col.\n"
        "Without PATH, the shipped rule sets are checked.  A lexicon.yaml "
        "among\n"
        "the paths is checked too, and each concept or modifier no rule uses "
        "is\n"
        "reported as a warning.\n\n"
        "options:\n"
        "  -h, --help    show this help\n\n"
        "exit status: 0 all rules sound, 2 usage, 3 a rule file has a "
        "problem\n",
        usage);
}

struct lint_ctx {
    unsigned long problems;
    unsigned long unused;
};

static void on_unused(void *ctx, const char *kind, const char *name,
                      const char *path, unsigned long line, unsigned long col)
{
    struct lint_ctx *lc = ctx;

    lc->unused++;
    fprintf(stderr,
            "warning: %s:%lu:%lu: %s '%s' is used by no rule; remove it or "
            "name it in a rule\n",
            path, line, col, kind, name);
}

static void on_error(void *ctx, const struct ca_error *e)
{
    struct lint_ctx *lc = ctx;
    char buf[2048];

    lc->problems++;
    cmd_error("%s", ca_error_format(e, buf, sizeof(buf)));
}

int cmd_lint(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct ruleset_opts ro = {0};
    struct lint_ctx lc = {0};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    char shipped[4096];
    const char *def[1];
    const char *const *paths;
    size_t npaths;
    enum ca_status st;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_help();
            return 0;
        default:
            return cmd_getopt_error(usage, argv, c, opts);
        }
    }
    if (optind < argc) {
        paths = (const char *const *)argv + optind;
        npaths = (size_t)(argc - optind);
    } else {
        if (cmd_find_shipped("rules", "rules", "give a PATH", shipped,
                             sizeof(shipped)) != 0)
            return CA_DATA;
        def[0] = shipped;
        paths = def;
        npaths = 1;
    }
    ro.on_error = on_error;
    ro.ctx = &lc;
    ro.keep_deprecated = true;
    st = ruleset_load(paths, npaths, &ro, &rs, &err);
    if (st == CA_SYSTEM)
        return cmd_fail(&err);
    if (st != CA_OK) {
        if (lc.problems == 0)
            on_error(&lc, &err);
        fprintf(stderr, "lint: %lu problem%s found\n", lc.problems,
                lc.problems == 1 ? "" : "s");
        return CA_DATA;
    }
    ruleset_lexicon_unused(rs, on_unused, &lc);
    printf("lint: %zu rule%s ok", ruleset_count(rs),
           ruleset_count(rs) == 1 ? "" : "s");
    if (lc.unused)
        printf(", %lu unused lexicon entr%s", lc.unused,
               lc.unused == 1 ? "y" : "ies");
    printf("\n");
    ruleset_free(rs);
    return 0;
}
