/* SPDX-License-Identifier: MIT */
/*
 * caseaudit lint: load rule files and audit programmes strictly, compile
 * their patterns and run the rules' inline examples, reporting every
 * problem as file:line:col (not just the first), so that an author fixes
 * a whole set in one pass.  A file is a programme when its top-level
 * mapping has `tests`, else a rule; programmes are checked against the
 * rules given, or the shipped rules when none is.  Exit 0 when everything
 * is sound, 3 when anything is not.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "audit/programme.h"
#include "cmd/cmd.h"
#include "engine/rules.h"

static const char usage[] = "caseaudit lint [PATH...]";

static void print_help(void)
{
    printf(
        "usage: %s\n\n"
        "Load rule files (one rule per YAML file) and audit programmes (one "
        "per\n"
        "YAML file, told apart by their 'tests' key), check them strictly, "
        "compile\n"
        "their patterns and run the rules' inline examples.  Directories are\n"
        "searched for *.yaml and *.yml.  Programmes are checked against the "
        "rules\n"
        "given, or the shipped rules when none is.  Every problem is reported "
        "as\n"
        "file:line:col.  Without PATH, the shipped rules and programmes are\n"
        "checked.  A lexicon.yaml among the paths is checked too, and each\n"
        "concept or modifier no rule or frame uses is reported as a "
        "warning.\n\n"
        "options:\n"
        "  -h, --help    show this help\n\n"
        "exit status: 0 all sound, 2 usage, 3 a rule or programme file has a "
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
    struct programme_paths pp;
    struct ca_error err = CA_ERROR_INIT;
    char shipped[4096], shipped_prog[4096];
    const char *def[2];
    const char *const *paths;
    const char *rules_def[1];
    size_t npaths, i, nprog = 0, ntests = 0;
    enum ca_status st;
    int c, rc = 0;

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
                             sizeof(shipped)) != 0 ||
            cmd_find_shipped("programmes", "programmes", "give a PATH",
                             shipped_prog, sizeof(shipped_prog)) != 0)
            return CA_DATA;
        def[0] = shipped;
        def[1] = shipped_prog;
        paths = def;
        npaths = 2;
    }
    st = programme_sort_paths(paths, npaths, &pp, &err);
    if (st != CA_OK)
        return cmd_fail(&err);
    ro.on_error = on_error;
    ro.ctx = &lc;
    ro.keep_deprecated = true;
    if (pp.nrules) {
        st = ruleset_load((const char *const *)pp.rules, pp.nrules, &ro, &rs,
                          &err);
    } else if (pp.nprogrammes) {
        /* programmes alone: checked against the shipped rules */
        if (cmd_find_shipped("rules", "rules", "give the rules too", shipped,
                             sizeof(shipped)) != 0) {
            rc = CA_DATA;
            goto out;
        }
        rules_def[0] = shipped;
        st = ruleset_load(rules_def, 1, &ro, &rs, &err);
    } else {
        st = ca_error_set(&err, CA_DATA, paths[0], 0, NULL,
                          "no rule or programme files");
    }
    if (st == CA_SYSTEM) {
        rc = cmd_fail(&err);
        goto out;
    }
    if (st != CA_OK) {
        if (lc.problems == 0)
            on_error(&lc, &err);
        rs = NULL;
    }
    for (i = 0; i < pp.nprogrammes; i++) {
        struct programme *p = NULL;

        if (!rs)
            break; /* the rules must load first */
        st = programme_load(pp.programmes[i], rs, &p, &err);
        if (st == CA_SYSTEM) {
            rc = cmd_fail(&err);
            goto out;
        }
        if (st != CA_OK)
            on_error(&lc, &err);
        else {
            nprog++;
            ntests += p->ntests;
        }
        programme_free(p);
    }
    if (lc.problems) {
        fprintf(stderr, "lint: %lu problem%s found\n", lc.problems,
                lc.problems == 1 ? "" : "s");
        rc = CA_DATA;
        goto out;
    }
    if (pp.nrules) {
        /* after the programmes: a frame may name a concept too */
        ruleset_lexicon_unused(rs, on_unused, &lc);
        printf("lint: %zu rule%s ok", ruleset_count(rs),
               ruleset_count(rs) == 1 ? "" : "s");
        if (lc.unused)
            printf(", %lu unused lexicon entr%s", lc.unused,
                   lc.unused == 1 ? "y" : "ies");
        printf("\n");
    }
    if (pp.nprogrammes)
        printf("lint: %zu programme%s ok (%zu test%s)\n", nprog,
               nprog == 1 ? "" : "s", ntests, ntests == 1 ? "" : "s");
out:
    ruleset_free(rs);
    programme_paths_release(&pp);
    return rc;
}
