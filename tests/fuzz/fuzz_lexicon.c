/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the context lexicon (engine/lexicon.c,
 * engine/lexscan.c, engine/context.c).  The input is a lexicon file and
 * the text of a log entry, separated by the first NUL byte (no NUL: a
 * text of the target's own).  A lexicon that loads is scanned over the
 * text for every concept, with its triggers and context scopes, and an
 * oracle: every `regex:` item that matches a plain-ASCII text must be
 * among those the lexicon's prefilter says it may match.  Hits, events
 * and scopes must lie in the text, hits in order and a regex item's with
 * the item's concepts.  A lexicon that does not load must say why.  Build with `make fuzz`; run e.g.
 *   build/fuzz/fuzz_lexicon -max_total_time=60 tests/fuzz/corpus/lexicon
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/internal.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char default_text[] =
    "H2H completed, no CCTV. Plan:\n1. MG11 [outstanding]\nCCTV: viewed";

/* Whether text[0, len) is valid UTF-8 (the engine scans no other). */
static bool valid_utf8(const char *text, size_t len)
{
    static pcre2_code *any;
    pcre2_match_data *md;
    int ec, rc;
    PCRE2_SIZE eo;

    if (!any)
        any = pcre2_compile((PCRE2_SPTR) "", 0, PCRE2_UTF, &ec, &eo, NULL);
    if (!any)
        abort();
    md = pcre2_match_data_create(1, NULL);
    rc = pcre2_match(any, (PCRE2_SPTR)text, len, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

/* The regex items that match text must be among those it may match. */
static void check_prefilter(const struct lexicon *lx, const char *text,
                            size_t len)
{
    pcre2_match_context *mc;
    pcre2_match_data *md;
    struct lx_set may;
    size_t i;

    for (i = 0; i < len; i++)
        if ((unsigned char)text[i] >= 0x80)
            return; /* not filtered at all */
    if (!lx->regex_pf)
        return;
    prefilter_scan_set(lx->regex_pf, text, len, &may);
    lx_set_or(&may, &lx->regex_always);
    md = pcre2_match_data_create(1, NULL);
    mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(mc, 100000); /* as slow patterns give up in use */
    for (i = 0; i < lx->nregexes; i++)
        if (pcre2_match(lx->regexes[i].re.code, (PCRE2_SPTR)text, len, 0, 0, md,
                        mc) >= 0 &&
            !lx_set_has(&may, i))
            abort(); /* the prefilter would have lost this match */
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
}

static void scan(const struct lexicon *lx, const char *text, size_t len)
{
    struct engine_scratch *s = engine_scratch_new(NULL);
    struct log_entry e;
    const struct lx_hit *hits;
    const struct lx_event *ev;
    const struct ctx_scope *sc;
    size_t c, h, nh, nev, nsc;

    if (!s)
        abort();
    memset(&e, 0, sizeof(e));
    e.text = text;
    e.text_len = len;
    if (!context_begin(s, &e, 1))
        abort();
    for (c = 0; c < lx->nconcepts; c++) {
        if (lexscan_terms(s, lx, 0, &lx->concepts[c].regexes, &hits, &nh) < 0)
            break; /* a match limit */
        for (h = 0; h < nh; h++) {
            const struct lx_hit *x = &hits[h];

            if (x->s > x->e || x->e > len || x->as < x->s || x->ae > x->e ||
                x->as > x->ae || !x->concepts || (h > 0 && x->s < x[-1].s))
                abort();
            if (x->group > 0 &&
                (x->group > lx->nregexes ||
                 !lx_set_has(&lx->term_rx, x->group - 1) ||
                 x->concepts != &lx->regexes[x->group - 1].concepts))
                abort();
        }
    }
    if (lexscan_events(s, lx, 0, &ev, &nev) == 0)
        for (h = 0; h < nev; h++)
            if (ev[h].s > ev[h].e || ev[h].e > len ||
                (ev[h].kind >= LXK_BEFORE && ev[h].kind <= LXK_BOTH &&
                 ev[h].idx >= lx->nmods))
                abort();
    if (context_scopes(s, lx, 0, &sc, &nsc) == 0)
        for (h = 0; h < nsc; h++)
            if (sc[h].start > sc[h].end || sc[h].end > len ||
                sc[h].mod >= lx->nmods)
                abort();
    engine_scratch_free(s);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const unsigned char *nul = memchr(data, 0, size);
    size_t ylen = nul ? (size_t)(nul - data) : size;
    const char *text = nul ? (const char *)nul + 1 : default_text;
    size_t tlen = nul ? size - ylen - 1 : strlen(default_text);
    struct ca_error err = CA_ERROR_INIT;
    struct lexicon *lx = NULL;
    enum ca_status st;
    char path[64];
    FILE *fp;

    snprintf(path, sizeof(path), "/tmp/fuzz_lexicon.%ld.yaml", (long)getpid());
    fp = fopen(path, "wb");
    if (!fp || fwrite(data, 1, ylen, fp) != ylen || fclose(fp) != 0)
        abort();
    st = lexicon_load(path, &lx, &err);
    unlink(path);
    if (st != CA_OK) {
        if (err.msg[0] == '\0')
            abort(); /* every failure must say why */
        return 0;
    }
    if (valid_utf8(text, tlen)) {
        check_prefilter(lx, text, tlen);
        scan(lx, text, tlen);
    }
    lexicon_free(lx);
    return 0;
}
