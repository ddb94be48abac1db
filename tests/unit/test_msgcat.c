/* SPDX-License-Identifier: MIT */
/* Unit tests for the message pieces of engine/checks.c (eval_cat,
 * eval_cat_num), which put together the messages of every finding in
 * place of snprintf: the same text as snprintf gives for the same pieces,
 * cut at the same byte, for random pieces and buffer sizes; and for the
 * excerpts of findings (eval_excerpt): the same as the plain way, a
 * character at a time, gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "engine/checks.h"
#include "xorshift.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

static void test_like_snprintf(void **state)
{
    static const long long nums[] = {0,  1,         -1,        9,
                                     10, 99,        100,       -100,
                                     28, LLONG_MAX, LLONG_MIN, 1234567890123LL};
    static const char *const words[] = {"",
                                        "a",
                                        "no qualifying entry",
                                        " between ",
                                        "2023-08-01",
                                        " (",
                                        ")",
                                        "counted '",
                                        "CCTV viewed",
                                        "' (",
                                        "investigative-action",
                                        ": "};
    int round;

    (void)state;
    for (round = 0; round < 20000; round++) {
        char want[128], got[128], fmt_buf[600];
        const char *piece[6];
        long long num[6];
        bool is_num[6];
        size_t size = 1 + rnd() % sizeof(got), n = 0, k, np = 1 + rnd() % 6;
        size_t off = 0;

        for (k = 0; k < np; k++) {
            is_num[k] = rnd() % 3 == 0;
            if (is_num[k])
                num[k] = rnd() % 2 ? nums[rnd() % 12] : (long long)rnd();
            else
                piece[k] = words[rnd() % 12];
        }
        /* snprintf of the whole, the pieces as its arguments */
        fmt_buf[0] = '\0';
        for (k = 0; k < np; k++) {
            if (is_num[k])
                off += (size_t)snprintf(fmt_buf + off, sizeof(fmt_buf) - off,
                                        "%lld", num[k]);
            else
                off += (size_t)snprintf(fmt_buf + off, sizeof(fmt_buf) - off,
                                        "%s", piece[k]);
        }
        /* what snprintf(want, size, ...) keeps: size - 1 bytes at most */
        memcpy(want, fmt_buf, off < size - 1 ? off : size - 1);
        want[off < size - 1 ? off : size - 1] = '\0';
        memset(got, 'x', sizeof(got));
        got[0] = '\0';
        for (k = 0; k < np; k++) {
            if (is_num[k])
                eval_cat_num(got, size, &n, num[k]);
            else
                eval_cat(got, size, &n, piece[k]);
        }
        assert_string_equal(got, want);
        assert_int_equal(n, strlen(want));
    }
}

/* Numbers as %lld writes them, and a message of the gap check both ways. */
static void test_numbers(void **state)
{
    int round;

    (void)state;
    for (round = 0; round < 100000; round++) {
        char want[32], got[32];
        size_t n = 0;
        long long v = (long long)rnd() >> (rnd() % 64);

        if (round % 2)
            v = -v;
        snprintf(want, sizeof(want), "%lld", v);
        got[0] = '\0';
        eval_cat_num(got, sizeof(got), &n, v);
        assert_string_equal(got, want);
    }
}

static void test_gap_message(void **state)
{
    char want[600], got[600];
    size_t n = 0;

    (void)state;
    snprintf(want, sizeof(want),
             "%zu qualifying entr%s; longest gap %lld %s, within the limit of "
             "%d %s",
             (size_t)3, "ies", -12LL, "days", 28, "days");
    got[0] = '\0';
    eval_cat_num(got, sizeof(got), &n, 3);
    eval_cat(got, sizeof(got), &n, " qualifying entries");
    eval_cat(got, sizeof(got), &n, "; longest gap ");
    eval_cat_num(got, sizeof(got), &n, -12);
    eval_cat(got, sizeof(got), &n, " days, within the limit of ");
    eval_cat_num(got, sizeof(got), &n, 28);
    eval_cat(got, sizeof(got), &n, " days");
    assert_string_equal(got, want);
}

/* ---- excerpts ---- */

static bool fold_space(unsigned char c)
{
    return c <= 0x20 || c == 0x7F;
}

/* The excerpt as first written, a character at a time: the reference. */
static void plain_excerpt(char *out, size_t size, const char *text, size_t len,
                          size_t pos)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t b = pos > len ? len : pos, o = 0, chars = 0, back = 0, limit;
    bool space = false, more = false;

    /* start up to 40 characters before the match */
    while (b > 0 && back < 40) {
        b--;
        while (b > 0 && (t[b] & 0xC0) == 0x80)
            b--;
        back++;
    }
    while (b < len && fold_space(t[b]))
        b++;
    limit = 160;
    if (b > 0) {
        bool blank_before = true;
        size_t k;
        for (k = 0; k < b; k++)
            if (!fold_space(t[k]))
                blank_before = false;
        if (!blank_before) {
            memcpy(out, "...", 3);
            o = 3;
            chars = 3;
        }
    }
    while (b < len) {
        size_t w = 1;

        if (fold_space(t[b])) {
            space = true;
            b++;
            continue;
        }
        while (b + w < len && (t[b + w] & 0xC0) == 0x80)
            w++;
        if (chars + (space ? 1 : 0) + 1 > limit - 3) {
            more = true;
            break;
        }
        if (space && chars > 0 &&
            !(o == 3 && chars == 3 && memcmp(out, "...", 3) == 0)) {
            out[o++] = ' ';
            chars++;
        }
        space = false;
        if (o + w + 8 >= size)
            break;
        if (w == 1) /* most characters: no call of memcpy */
            out[o] = (char)t[b];
        else
            memcpy(out + o, t + b, w);
        o += w;
        chars++;
        b += w;
    }
    if (more) {
        /* fits exactly when only a few characters remain */
        size_t rest = 0, k;
        for (k = b; k < len; k++)
            if ((t[k] & 0xC0) != 0x80)
                rest++;
        if (chars + rest + (space ? 1 : 0) <= limit) {
            if (space) {
                out[o++] = ' ';
            }
            for (k = b; k < len && o + 8 < size; k++)
                out[o++] = fold_space(t[k]) ? ' ' : (char)t[k];
        } else {
            memcpy(out + o, "...", 3);
            o += 3;
        }
    }
    out[o] = '\0';
}

/* eval_excerpt (which copies runs of plain ASCII at once) against the
 * reference: random texts of words, blanks, line ends, tabs and two-,
 * three- and four-byte characters, short and long, at random places and
 * at both ends, into buffers of every size around the excerpt's. */
static void test_excerpt_like_plain(void **state)
{
    static const char *const bits[] = {
        "word",      " ",           "  ",           "\n",  "\t",
        "a",         "caf\xc3\xa9", "\xe2\x80\x93", ",",   "\xf0\x9f\x99\x82",
        "x.",        "\x7f",        "\r\n",         "...", "H2H-done",
        "0123456789"};
    static char text[1200];
    char got[720], want[720];
    size_t i, k, runs = 0;

    (void)state;
    for (i = 0; i < 20000; i++) {
        size_t len = 0, n = rnd() % (i % 3 ? 40 : 300), pos, size;

        for (k = 0; k < n; k++) {
            const char *b = bits[rnd() % (sizeof(bits) / sizeof(bits[0]))];
            size_t bl = strlen(b);

            if (len + bl >= sizeof(text))
                break;
            memcpy(text + len, b, bl);
            len += bl;
        }
        text[len] = '\0';
        pos = rnd() % 4 == 0 ? (rnd() % 2 ? 0 : len) : rnd() % (len + 1);
        /* at a character's start, as a match starts */
        while (pos < len && ((unsigned char)text[pos] & 0xC0) == 0x80)
            pos++;
        size = rnd() % 3 == 0 ? 16 + rnd() % 700 : sizeof(got);
        memset(got, 'G', sizeof(got));
        memset(want, 'W', sizeof(want));
        eval_excerpt(got, size, text, len, pos);
        plain_excerpt(want, size, text, len, pos);
        if (strcmp(got, want) != 0)
            fail_msg("text '%s' at %zu (size %zu): '%s', the plain way '%s'",
                     text, pos, size, got, want);
        runs += strlen(got) > 100;
    }
    assert_true(runs > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_like_snprintf),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_gap_message),
        cmocka_unit_test(test_excerpt_like_plain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
