/* SPDX-License-Identifier: MIT */
/*
 * caseaudit sample: draw a reproducible sample from exports and write the
 * sample CSV (-o) and its manifest (--manifest).  Options are parsed here;
 * the frame, sizes, allocation and selection are samplers/draw.c's, and
 * the methods are defined in docs/sampling-methods.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/plan_options.h"
#include "cmd/sample_size.h"
#include "samplers/draw.h"
#include "samplers/manifest.h"
#include "samplers/merge.h"
#include "samplers/rsample.h"
#include "util/outfile.h"

static const char usage[] =
    "caseaudit sample INPUT... --type T --seed S (--size N | plan options)\n"
    "       [--per-force] [--strata F1,F2] [--allocation "
    "proportional|equal|min:K|divisor]\n"
    "       [--min-one] [--method hash|r|systematic] [--spares K]\n"
    "       [--where FIELD=REGEX]... [--order-by FIELD] [--profile P]\n"
    "       [--shard] [-o sample.csv] [--manifest sample.json]\n"
    "   or: caseaudit sample --merge SHARD.json... [-o sample.csv] "
    "[--manifest sample.json]";

/* The shared plan help without --population: sample takes N from the
 * frame. */
#define PLAN_OPTIONS_HELP_SAMPLE                                               \
    "  --confidence C       confidence level, e.g. 95% or 0.95 (default "      \
    "95%)\n"                                                                   \
    "  --tolerable T        attribute mode: tolerable deviation rate, e.g. "   \
    "5%\n"                                                                     \
    "  --expected-errors X  deviations the plan allows for (default 0)\n"      \
    "  --expected-rate R    or an expected deviation rate: allows ceil(R*n)\n" \
    "  --model M            binomial, poisson or hypergeometric (default)\n"   \
    "  --margin E           estimation mode: margin of error, e.g. 5%\n"       \
    "  --p P                estimation mode: anticipated rate (default 50%)\n"

static void print_help(void)
{
    printf("usage: %s\n\n", usage);
    fputs(
        "Draw a reproducible sample of records and write its manifest.\n\n"
        "  --type T             record type: crime, wanted, bail or incident\n"
        "  --seed S             seed, recorded in the manifest (r: a whole "
        "number)\n"
        "  --size N             sample size per population (or plan it, "
        "below)\n"
        "  --per-force          each force is its own population with its own "
        "n\n"
        "  --strata F1,F2       stratify by these fields (label: values joined "
        "by |)\n"
        "  --allocation A       proportional (default), equal, min:K or\n"
        "                       divisor (Webster: monotone in n, for samples\n"
        "                       that may be extended)\n"
        "  --min-one            every non-empty stratum gets at least one\n"
        "  --method M           hash (default), r or systematic\n"
        "  --spares K           spares per stratum (default 0)\n"
        "  --where FIELD=REGEX  frame filter (PCRE2, unanchored); repeatable, "
        "all must match\n"
        "  --order-by FIELD     systematic: order the frame by this field\n"
        "  --profile P          ingest profile (built-in name or YAML file)\n"
        "  -o, --output FILE    sample CSV: the records plus sample_rank, "
        "stratum, spare\n"
        "  --manifest FILE      manifest JSON, for `caseaudit verify`\n"
        "  --shard              hash: also list each stratum's candidates (the "
        "keys\n"
        "                       the whole could need) in the manifest, for "
        "--merge\n"
        "  --merge              the inputs are shard manifests: write the "
        "sample one\n"
        "                       run over all their inputs would draw\n"
        "  -h, --help           show this help\n\n"
        "Plan options size each population (each force with --per-force) from\n"
        "its N, hypergeometric by default:\n",
        stdout);
    fputs(PLAN_OPTIONS_HELP_SAMPLE, stdout);
    fputs("\n"
          "Shards (hash only; docs/sampling-methods.md): draw each part of an "
          "export\n"
          "with the same options and --shard, then `sample --merge` their "
          "manifests.\n"
          "Unstratified samples of a fixed --size merge without --shard.\n\n"
          "Without -o the selected ids are listed on standard output.  Output "
          "files\n"
          "are created mode 0600.  Exit status: 0 ok, 2 usage, 3 bad input, 4 "
          "system.\n",
          stdout);
}

enum {
    OPT_TYPE = 0x1000,
    OPT_SEED,
    OPT_SIZE,
    OPT_PER_FORCE,
    OPT_STRATA,
    OPT_ALLOCATION,
    OPT_MIN_ONE,
    OPT_METHOD,
    OPT_SPARES,
    OPT_WHERE,
    OPT_ORDER_BY,
    OPT_PROFILE,
    OPT_MANIFEST,
    OPT_SHARD,
    OPT_MERGE
};

static const struct option longopts[] = {
    {"type", required_argument, NULL, OPT_TYPE},
    {"seed", required_argument, NULL, OPT_SEED},
    {"size", required_argument, NULL, OPT_SIZE},
    {"per-force", no_argument, NULL, OPT_PER_FORCE},
    {"strata", required_argument, NULL, OPT_STRATA},
    {"allocation", required_argument, NULL, OPT_ALLOCATION},
    {"min-one", no_argument, NULL, OPT_MIN_ONE},
    {"method", required_argument, NULL, OPT_METHOD},
    {"spares", required_argument, NULL, OPT_SPARES},
    {"where", required_argument, NULL, OPT_WHERE},
    {"order-by", required_argument, NULL, OPT_ORDER_BY},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"output", required_argument, NULL, 'o'},
    {"manifest", required_argument, NULL, OPT_MANIFEST},
    {"shard", no_argument, NULL, OPT_SHARD},
    {"merge", no_argument, NULL, OPT_MERGE},
    {"help", no_argument, NULL, 'h'},
    PLAN_OPTIONS_LONGOPTS,
    {NULL, 0, NULL, 0},
};

/* Reject printing: every reject is reported with file and line, up to a
 * limit (the manifest keeps the counts). */
#define REJECTS_SHOWN 50

struct rejects {
    unsigned long shown, more;
};

static void on_reject(void *ctx, const struct reject *rj)
{
    struct rejects *r = ctx;

    if (r->shown >= REJECTS_SHOWN) {
        r->more++;
        return;
    }
    r->shown++;
    if (rj->reason == RJ_DUPLICATE_ID && rj->first_source)
        cmd_warn("%s:%lu: row rejected: %s '%s' (first seen at %s:%lu)",
                 rj->source, rj->line, reject_reason_name(rj->reason),
                 rj->id ? rj->id : "", rj->first_source, rj->first_line);
    else
        cmd_warn("%s:%lu: row rejected: %s%s%s", rj->source, rj->line,
                 reject_reason_name(rj->reason), rj->detail ? ": " : "",
                 rj->detail ? rj->detail : "");
}

/* Split "a,b" into p->strata. */
static int parse_strata(struct sample_params *p, const char *arg)
{
    const char *s = arg;

    while (*s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char **v;

        if (len == 0)
            return cmd_usage_error(usage,
                                   "option '--strata' needs field names "
                                   "separated by commas, not '%s'",
                                   arg),
                   -1;
        v = realloc(p->strata, (p->nstrata + 1) * sizeof(*v));
        if (!v)
            return -1;
        p->strata = v;
        if (!(p->strata[p->nstrata] = strndup(s, len)))
            return -1;
        p->nstrata++;
        s += len;
        if (*s == ',' && *++s == '\0')
            return cmd_usage_error(usage,
                                   "option '--strata' has an empty field name"),
                   -1;
    }
    if (p->nstrata == 0)
        return cmd_usage_error(usage, "option '--strata' needs field names"),
               -1;
    return 0;
}

static int parse_where(struct sample_params *p, const char *arg)
{
    const char *eq = strchr(arg, '=');
    struct where_clause *v;

    if (!eq || eq == arg)
        return cmd_usage_error(
                   usage, "option '--where' needs FIELD=REGEX, not '%s'", arg),
               -1;
    v = realloc(p->where, (p->nwhere + 1) * sizeof(*v));
    if (!v)
        return -1;
    p->where = v;
    v[p->nwhere].field = strndup(arg, (size_t)(eq - arg));
    v[p->nwhere].regex = strdup(eq + 1);
    p->nwhere++;
    if (!v[p->nwhere - 1].field || !v[p->nwhere - 1].regex)
        return -1;
    return 0;
}

static int set_str(char **dst, const char *src)
{
    free(*dst);
    *dst = strdup(src);
    return *dst ? 0 : -1;
}

static void print_summary(FILE *fp, const struct manifest *m, bool list_ids)
{
    const struct sample_result *r = &m->r;
    uint64_t sel = 0, spares = 0, shortfall = 0, N = 0;
    size_t i;
    char a[256], b[256], c[256];

    for (i = 0; i < r->sel.ngroups; i++) {
        const struct sample_group *g = &r->sel.groups[i];

        N += g->N;
        sel += g->taken;
        spares += g->spares;
        shortfall += g->shortfall;
    }
    fprintf(
        fp,
        "frame: %llu %s records (%llu rows read, %llu rejected, %llu excluded "
        "by --where)\n",
        (unsigned long long)N, m->p.type, (unsigned long long)r->rows_read,
        (unsigned long long)r->rows_rejected,
        (unsigned long long)r->rows_excluded);
    fprintf(fp, "method %s, seed '%s': %llu selected, %llu spares",
            sample_method_name(m->p.method),
            escape_term(a, sizeof(a), m->p.seed), (unsigned long long)sel,
            (unsigned long long)spares);
    if (shortfall)
        fprintf(fp, ", shortfall %llu", (unsigned long long)shortfall);
    fprintf(fp, "\n\n%-16s %-24s %10s %8s %8s %9s %6s\n", "force", "stratum",
            "N", "n", "taken", "shortfall", "spares");
    for (i = 0; i < r->sel.ngroups; i++) {
        const struct sample_group *g = &r->sel.groups[i];

        fprintf(fp, "%-16s %-24s %10llu %8llu %8llu %9llu %6llu\n",
                escape_term(a, sizeof(a), g->force),
                escape_term(b, sizeof(b), g->stratum), (unsigned long long)g->N,
                (unsigned long long)g->n, (unsigned long long)g->taken,
                (unsigned long long)g->shortfall,
                (unsigned long long)g->spares);
    }
    if (!list_ids)
        return;
    fprintf(fp, "\n%-16s %-24s %6s %-5s %s\n", "force", "stratum", "rank",
            "spare", "id");
    for (i = 0; i < r->sel.nitems; i++) {
        const struct sample_item *it = &r->sel.items[i];

        fprintf(fp, "%-16s %-24s %6llu %-5s %s\n",
                escape_term(a, sizeof(a), it->force),
                escape_term(b, sizeof(b), it->stratum),
                (unsigned long long)it->rank, it->spare ? "Y" : "N",
                escape_term(c, sizeof(c), it->id));
    }
}

/* Shortfall warnings, the output files (both written, then both
 * committed: no half-written pair) and the summary. */
static int finish(struct manifest *m, const char *out_path,
                  const char *manifest_path)
{
    struct ca_error err = CA_ERROR_INIT;
    struct outfile of, om;
    enum ca_status st = CA_OK;
    size_t g;

    memset(&of, 0, sizeof(of));
    memset(&om, 0, sizeof(om));
    for (g = 0; g < m->r.sel.ngroups; g++) {
        const struct sample_group *sg = &m->r.sel.groups[g];

        if (sg->shortfall)
            cmd_warn("force '%s' stratum '%s': %llu records for an allocation "
                     "of %llu: "
                     "taken whole, shortfall %llu",
                     sg->force, sg->stratum, (unsigned long long)sg->N,
                     (unsigned long long)sg->n,
                     (unsigned long long)sg->shortfall);
    }
    if (out_path && (st = outfile_open(&of, out_path, &err)) == CA_OK)
        st = sample_write_csv(&m->r.sel, m->p.type, of.fp, &err);
    if (st == CA_OK && manifest_path &&
        (st = outfile_open(&om, manifest_path, &err)) == CA_OK)
        st = manifest_write(m, om.fp, &err);
    if (st == CA_OK && out_path)
        st = outfile_commit(&of, &err);
    if (st == CA_OK && manifest_path)
        st = outfile_commit(&om, &err);
    if (st != CA_OK) {
        outfile_abort(&of);
        outfile_abort(&om);
        return cmd_fail(&err);
    }
    /* the summary goes to stderr when a file went to standard output */
    print_summary((out_path && strcmp(out_path, "-") == 0) ||
                          (manifest_path && strcmp(manifest_path, "-") == 0)
                      ? stderr
                      : stdout,
                  m, out_path == NULL);
    return CA_OK;
}

/* The manifest's tool version, time and command line. */
static int set_provenance(struct manifest *m, int argc, char **argv)
{
    char created[21];
    int i;

    m->version = MANIFEST_VERSION;
    manifest_timestamp(created);
    if (set_str(&m->tool_version, CA_VERSION) || set_str(&m->created, created))
        return -1;
    m->argv = calloc((size_t)argc + 1, sizeof(*m->argv));
    if (!m->argv || !(m->argv[0] = strdup("caseaudit")))
        return -1;
    m->argc = 1;
    for (i = 0; i < argc; i++, m->argc++)
        if (!(m->argv[i + 1] = strdup(argv[i])))
            return -1;
    return 0;
}

/* sample --merge: the shard manifests are names[0..n-1]. */
static int run_merge(char **names, size_t n, const char *out_path,
                     const char *manifest_path, int argc, char **argv)
{
    struct manifest *shards = calloc(n, sizeof(*shards));
    struct manifest m;
    struct merge_config mc;
    struct sample_sizer sizer;
    struct ca_error err = CA_ERROR_INIT;
    const char **paths = NULL;
    size_t i, nread = 0;
    int rc;

    memset(&m, 0, sizeof(m));
    memset(&mc, 0, sizeof(mc));
    if (!shards)
        goto oom;
    for (i = 0; i < n; i++, nread++) {
        if (manifest_read(names[i], &shards[i], &err) != CA_OK) {
            rc = cmd_fail(&err);
            goto out;
        }
    }
    if (shards[0].p.plan.mode != PLAN_MODE_FIXED) {
        /* size each merged population exactly as a single run would */
        if (sample_sizer_from_plan(&sizer, &shards[0].p.plan, usage) != 0) {
            cmd_error("%s: the manifest's plan cannot be used", names[0]);
            rc = CA_DATA;
            goto out;
        }
        mc.size = sample_sizer_size;
        mc.size_ctx = &sizer;
    }
    mc.shards = shards;
    mc.names = (const char *const *)names;
    mc.nshards = n;
    if (manifest_merge(&mc, &m, &err) != CA_OK) {
        rc = cmd_fail(&err);
        goto out;
    }
    if (set_provenance(&m, argc, argv) != 0)
        goto oom;
    if (out_path) {
        /* the rows: read the shards' inputs again */
        struct draw_config dc;

        paths = calloc(m.r.ninputs + 1, sizeof(*paths));
        if (!paths)
            goto oom;
        for (i = 0; i < m.r.ninputs; i++)
            paths[i] = m.r.inputs[i].path;
        memset(&dc, 0, sizeof(dc));
        dc.p = &m.p;
        dc.paths = paths;
        dc.npaths = m.r.ninputs;
        dc.want_rows = true;
        if (cmd_stderr_is_tty())
            dc.on_progress = cmd_ingest_progress;
        if (sample_read_rows(&dc, &m.r, &err) != CA_OK) {
            rc = cmd_fail(&err);
            goto out;
        }
    }
    rc = finish(&m, out_path, manifest_path);
    goto out;
oom:
    rc = cmd_oom();
out:
    for (i = 0; shards && i < nread; i++)
        manifest_release(&shards[i]);
    free(shards);
    free(paths);
    manifest_release(&m);
    return rc;
}

/* The options of a draw besides its parameters (m.p). */
struct sample_args {
    const char *out_path, *manifest_path;
    const char *draw_opt; /* an option --merge takes from manifests */
    bool have_size, min_one, have_seed, merge;
    bool help; /* --help printed */
};

/* One option of the draw's parameters, into p (or a).  0, or an exit
 * status (the error printed). */
static int parse_draw_option(int c, const char *arg, struct sample_params *p,
                             struct sample_args *a)
{
    uint64_t v;

    switch (c) {
    case OPT_TYPE:
        return set_str(&p->type, arg) ? cmd_oom() : 0;
    case OPT_SEED:
        if (*arg == '\0')
            return cmd_usage_error(usage,
                                   "option '--seed' needs a non-empty value");
        a->have_seed = true;
        return set_str(&p->seed, arg) ? cmd_oom() : 0;
    case OPT_SIZE:
        if (cmd_parse_u64(usage, "--size", arg, 1, UINT32_MAX, &v) < 0)
            return CA_USAGE;
        p->plan.mode = PLAN_MODE_FIXED;
        p->plan.size = v;
        a->have_size = true;
        return 0;
    case OPT_PER_FORCE:
        p->per_force = true;
        return 0;
    case OPT_STRATA:
        if (p->nstrata)
            return cmd_usage_error(usage,
                                   "option '--strata' given twice: list the "
                                   "fields once, separated by commas");
        return parse_strata(p, arg) < 0 ? CA_USAGE : 0;
    case OPT_ALLOCATION:
        if (alloc_parse(arg, &p->alloc) != 0)
            return cmd_usage_error(usage,
                                   "option '--allocation' needs proportional, "
                                   "equal, min:K or divisor, not '%s'",
                                   arg);
        return 0;
    case OPT_MIN_ONE:
        a->min_one = true;
        return 0;
    case OPT_METHOD:
        if (sample_method_parse(arg, &p->method) != 0)
            return cmd_usage_error(usage,
                                   "option '--method' needs hash, r or "
                                   "systematic, not '%s'",
                                   arg);
        return 0;
    case OPT_SPARES:
        if (cmd_parse_u64(usage, "--spares", arg, 0, UINT32_MAX, &v) < 0)
            return CA_USAGE;
        p->spares = v;
        return 0;
    case OPT_WHERE:
        return parse_where(p, arg) < 0 ? CA_USAGE : 0;
    case OPT_ORDER_BY:
        return set_str(&p->order_by, arg) ? cmd_oom() : 0;
    case OPT_PROFILE:
        return set_str(&p->profile, arg) ? cmd_oom() : 0;
    case OPT_SHARD:
        p->shard = true;
        return 0;
    default:
        return -1;
    }
}

/* Parse the options into m's parameters, sizer's plan options and a.  0,
 * or an exit status (the error printed). */
static int parse_args(int argc, char **argv, struct manifest *m,
                      struct sample_sizer *sizer, struct sample_args *a)
{
    int c, li, rc;

    opterr = 0;
    optind = 1;
    while ((li = -1, c = getopt_long(argc, argv, ":ho:", longopts, &li)) !=
           -1) {
        if (li >= 0 && c != 'o' && c != 'h' && c != OPT_MANIFEST &&
            c != OPT_MERGE && !a->draw_opt)
            a->draw_opt = longopts[li].name;
        if (c == PLAN_OPT_POPULATION)
            return cmd_usage_error(usage,
                                   "option '--population' is for `plan`: "
                                   "sample takes N from the frame");
        switch (plan_options_parse(&sizer->po, c, optarg, usage)) {
        case 1:
            continue;
        case -1:
            return CA_USAGE;
        default:
            break;
        }
        switch (c) {
        case 'h':
            print_help();
            a->help = true;
            return CA_OK;
        case 'o':
            a->out_path = optarg;
            break;
        case OPT_MANIFEST:
            a->manifest_path = optarg;
            break;
        case OPT_MERGE:
            a->merge = true;
            break;
        default:
            rc = parse_draw_option(c, optarg, &m->p, a);
            if (rc < 0)
                return cmd_getopt_error(usage, argv, c, longopts);
            if (rc != 0)
                return rc;
            break;
        }
    }
    return CA_OK;
}

/* The draw's parameters checked together.  0, or an exit status (the
 * error printed). */
static int check_args(int argc, const struct manifest *m,
                      struct sample_sizer *sizer, const struct sample_args *a)
{
    int32_t s;

    if (optind >= argc)
        return cmd_usage_error(usage, "no input: name export files, folders "
                                      "or archives ('-' for standard input)");
    if (!m->p.type)
        return cmd_usage_error(usage, "option '--type' is required");
    if (!a->have_seed)
        return cmd_usage_error(usage, "option '--seed' is required (it makes "
                                      "the sample reproducible)");
    if (plan_options_check(&sizer->po, usage, false, &sizer->mode) < 0)
        return CA_USAGE;
    if (a->have_size && sizer->mode != PLAN_OPTIONS_NONE)
        return cmd_usage_error(usage,
                               "give '--size' or plan options, not both");
    if (!a->have_size && sizer->mode == PLAN_OPTIONS_NONE)
        return cmd_usage_error(usage, "the sample needs '--size N' or a plan "
                                      "('--tolerable T' or '--margin E')");
    if (m->p.method == SM_R && r_seed_parse(m->p.seed, &s) != 0)
        return cmd_usage_error(usage,
                               "the r method needs a whole-number seed from "
                               "-2147483647 to 2147483647, as set.seed takes, "
                               "not '%s'",
                               m->p.seed);
    if (m->p.order_by && m->p.method != SM_SYSTEMATIC)
        return cmd_usage_error(usage, "option '--order-by' applies to "
                                      "--method systematic only");
    if (m->p.shard && m->p.method != SM_HASH)
        return cmd_usage_error(usage,
                               "option '--shard' needs --method hash: only "
                               "hash samples of shards can be merged");
    if (m->p.shard && !a->manifest_path)
        return cmd_usage_error(usage,
                               "option '--shard' keeps the candidates in the "
                               "manifest: give '--manifest FILE'");
    return CA_OK;
}

/* --merge: the shards' manifests merged into one sample. */
static int merge_shards(int argc, char **argv, const struct sample_args *a)
{
    if (a->draw_opt)
        return cmd_usage_error(usage,
                               "option '--%s' cannot be used with --merge: "
                               "the parameters come from the shard "
                               "manifests",
                               a->draw_opt);
    if (optind >= argc)
        return cmd_usage_error(usage,
                               "--merge needs the manifests of the shards, "
                               "written by `caseaudit sample --shard`");
    return run_merge(argv + optind, (size_t)(argc - optind), a->out_path,
                     a->manifest_path, argc, argv);
}

/* Draw the sample of m's parameters from the inputs and write it. */
static int draw(int argc, char **argv, struct manifest *m,
                struct sample_sizer *sizer, const struct sample_args *a)
{
    struct draw_config dc;
    struct rejects rej = {0, 0};
    struct ca_error err = CA_ERROR_INIT;
    enum ca_status st;

    memset(&dc, 0, sizeof(dc));
    if (sizer->mode != PLAN_OPTIONS_NONE) {
        if (sample_sizer_bound(sizer, &dc.size_bound, &err) != CA_OK)
            return cmd_fail(&err);
        if (sample_sizer_to_plan(sizer, &m->p.plan) != 0)
            return cmd_oom();
        dc.size = sample_sizer_size;
        dc.size_ctx = sizer;
    }
    dc.p = &m->p;
    dc.paths = (const char *const *)(argv + optind);
    dc.npaths = (size_t)(argc - optind);
    dc.want_rows = a->out_path != NULL;
    dc.on_reject = on_reject;
    dc.reject_ctx = &rej;
    if (cmd_stderr_is_tty())
        dc.on_progress = cmd_ingest_progress;
    st = sample_draw(&dc, &m->r, &err);
    if (rej.more)
        cmd_warn("%lu more rows rejected (the manifest counts them by reason)",
                 rej.more);
    if (st != CA_OK)
        return cmd_fail(&err);
    return finish(m, a->out_path, a->manifest_path);
}

int cmd_sample(int argc, char **argv)
{
    struct manifest m;
    struct sample_sizer sizer;
    struct sample_args a;
    int rc;

    memset(&m, 0, sizeof(m));
    memset(&a, 0, sizeof(a));
    plan_options_init(&sizer.po);
    rc = parse_args(argc, argv, &m, &sizer, &a);
    if (rc != CA_OK || a.help)
        goto out;
    if (a.out_path && a.manifest_path &&
        strcmp(a.out_path, a.manifest_path) == 0) {
        rc = cmd_usage_error(
            usage, "the sample CSV and the manifest need different files");
        goto out;
    }
    if (a.merge) {
        rc = merge_shards(argc, argv, &a);
        goto out;
    }
    rc = check_args(argc, &m, &sizer, &a);
    if (rc != CA_OK)
        goto out;
    if (a.min_one)
        alloc_min_one(&m.p.alloc);
    if (set_provenance(&m, argc, argv) != 0) {
        rc = cmd_oom();
        goto out;
    }
    rc = draw(argc, argv, &m, &sizer, &a);
out:
    manifest_release(&m);
    return rc;
}
