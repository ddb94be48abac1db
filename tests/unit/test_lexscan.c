/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the phrase scan of engine/lexscan.c: the trie of the
 * shipped lexicon's phrases (about ten thousand with their typo
 * spellings) finds, in random texts, exactly the phrases that comparing
 * every phrase at every place a token starts finds.  The texts are made of
 * the lexicon's own phrases with their case changed, their spaces written
 * as runs of blanks, hyphens and line ends, their apostrophes as ’, glued
 * to words or marks and mixed with filler.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/internal.h"
#include "engine/rules.h"
#include "xorshift.h"

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

static bool word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

static bool gap(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v' || c == '-';
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* The phrase rules of lexscan.c, written out plainly: the end of phrase p
 * matched at t[pos], or 0. */
static size_t plain_match(const char *t, size_t len, size_t pos,
                          const struct lx_phrase *p)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t i = pos, j;

    for (j = 0; j < p->len; j++) {
        unsigned char pc = (unsigned char)p->text[j];

        if (pc == ' ') {
            if (i >= len || !gap(u[i]))
                return 0;
            while (i < len && gap(u[i]))
                i++;
        } else if (pc == '\'') {
            if (i < len && u[i] == '\'')
                i++;
            else if (i + 2 < len && u[i] == 0xE2 && u[i + 1] == 0x80 &&
                     u[i + 2] == 0x99)
                i += 3;
            else
                return 0;
        } else {
            if (i >= len || lower(u[i]) != pc)
                return 0;
            i++;
        }
    }
    if (word_char((unsigned char)p->text[p->len - 1]) && i < len &&
        word_char(u[i]))
        return 0;
    return i;
}

/* Where a scan may find a phrase: the start of a word, or a byte that is
 * neither part of one, a blank, a hyphen nor part of a character that is
 * not ASCII. */
static bool token_start(const char *t, size_t i)
{
    unsigned char c = (unsigned char)t[i];

    if (word_char(c))
        return i == 0 || !word_char((unsigned char)t[i - 1]);
    return !gap(c) && c < 0x80;
}

/* Append phrase p to out as a log might write it. */
static size_t write_phrase(char *out, const struct lx_phrase *p)
{
    static const char *const gaps[] = {" ", "  ", "-", "\n", " - ", "\t"};
    size_t j, o = 0;

    for (j = 0; j < p->len; j++) {
        char c = p->text[j];

        if (c == ' ') {
            const char *g = gaps[rnd() % 6];
            memcpy(out + o, g, strlen(g));
            o += strlen(g);
        } else if (c == '\'' && rnd() % 2) {
            memcpy(out + o, "\xE2\x80\x99", 3);
            o += 3;
        } else {
            out[o++] = rnd() % 5 == 0 && c >= 'a' && c <= 'z'
                           ? (char)(c - 'a' + 'A')
                           : c;
        }
    }
    return o;
}

static void test_trie_finds_every_phrase(void **state)
{
    static const char *const filler[] = {" ",        ", ",   ". ",  "\n", "x",
                                         "s",        "1",    ":",   "(",  "'",
                                         "\xC3\xA9", "the ", "and "};
    const char *paths[1] = {"../../rules"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    struct engine_scratch *s;
    const struct lexicon *lx;
    uint32_t *by_first[256], nfirst[256] = {0}, *want;
    size_t i, k, x, total = 0, wantn;
    char text[1200];

    (void)state;
    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &err), CA_OK);
    lx = rs->lex;
    assert_non_null(lx);
    assert_true(lx->nphrases > 5000);
    s = engine_scratch_new(NULL);
    assert_non_null(s);
    /* the phrases by their first byte, for the plain comparison */
    for (i = 0; i < 256; i++)
        by_first[i] = malloc(lx->nphrases * sizeof(uint32_t));
    for (i = lx->nphrases; i-- > 0;) {
        unsigned char c = (unsigned char)lx->phrases[i].text[0];
        by_first[c][nfirst[c]++] = (uint32_t)i; /* highest index first */
    }
    want = malloc(3 * 4096 * sizeof(*want));
    for (i = 0; i < 1500; i++) {
        size_t len = 0, n = 1 + rnd() % 10;
        const uint32_t *got;
        size_t gotn;

        for (k = 0; k < n && len + 400 < sizeof(text); k++) {
            if (rnd() % 3) {
                const struct lx_phrase *p =
                    &lx->phrases[rnd() %
                                 (rnd() % 2 ? lx->nwritten : lx->nphrases)];
                len += write_phrase(text + len, p);
            }
            {
                const char *f =
                    filler[rnd() % (sizeof(filler) / sizeof(filler[0]))];
                memcpy(text + len, f, strlen(f));
                len += strlen(f);
            }
        }
        wantn = 0;
        for (k = 0; k < len; k++) {
            unsigned char c = lower((unsigned char)text[k]);

            if (!token_start(text, k))
                continue;
            for (x = 0; x < nfirst[c]; x++) {
                const struct lx_phrase *p = &lx->phrases[by_first[c][x]];
                size_t e = plain_match(text, len, k, p);

                if (e && wantn < 4096) {
                    want[wantn * 3] = by_first[c][x];
                    want[wantn * 3 + 1] = (uint32_t)k;
                    want[wantn * 3 + 2] = (uint32_t)e;
                    wantn++;
                }
            }
        }
        assert_true(lexscan_phrases(s, lx, text, len, &got, &gotn));
        if (gotn != wantn ||
            (wantn && memcmp(got, want, wantn * 3 * sizeof(*want)) != 0))
            fail_msg("text %zu '%.*s': the trie found %zu phrases, the "
                     "plain comparison %zu",
                     i, (int)len, text, gotn, wantn);
        total += wantn;
    }
    assert_true(total > 3000); /* the texts do hold phrases */
    for (i = 0; i < 256; i++)
        free(by_first[i]);
    free(want);
    engine_scratch_free(s);
    ruleset_free(rs);
}

/* A token of every byte after every byte, and of random texts: a run of
 * word characters ([A-Za-z0-9_], as a plain test of each byte says), hashed
 * as lexscan_hash hashes its lower-case form (the table lexscan_token
 * reads them by). */
static bool plain_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

static void test_token_table(void **state)
{
    unsigned a, b, r;
    uint64_t x = 0x9E3779B97F4A7C15ull;

    (void)state;
    for (a = 0; a < 256; a++)
        for (b = 0; b < 256; b++) {
            char t[3] = {(char)a, (char)b, '.'};
            uint32_t h, n;
            size_t end = lexscan_token(t, 3, 0, &h, &n), want_end = 1;

            if (a == 0xE2) /* the start of ’ */
                continue;
            if (plain_word((unsigned char)a))
                want_end = plain_word((unsigned char)b) ? 2 : 1;
            assert_int_equal(end, want_end);
            assert_int_equal(n, want_end);
            assert_int_equal(h, lexscan_hash(t, want_end));
        }
    for (r = 0; r < 20000; r++) {
        char t[24];
        size_t len = 1 + r % 23, i, end, want = 0;
        uint32_t h, n;

        for (i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t[i] = "aZ_09x-. Q\t'"[x % 13];
        }
        end = lexscan_token(t, len, 0, &h, &n);
        if (plain_word((unsigned char)t[0]))
            while (want < len && plain_word((unsigned char)t[want]))
                want++;
        else
            want = 1;
        assert_int_equal(end, want);
        assert_int_equal(h, lexscan_hash(t, want));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trie_finds_every_phrase),
        cmocka_unit_test(test_token_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
