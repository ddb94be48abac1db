/* SPDX-License-Identifier: MIT */
/* Unit tests for the quick answer to whether a form's label ends in an
 * affirmation (context_affirmed_label, engine/context.c): on labels made
 * of the shipped lexicon's affirmations, cut, recased and mixed with other
 * words, blanks and marks (plain ASCII and not), the same answer as the
 * affirmed_label pattern run by PCRE2 on every label; and the last words
 * it keeps for the shipped lexicon. */
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

static uint64_t rng_state = 0xD1B54A32D192ED03ull;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

static void test_same_answer(void **state)
{
    static const char *const other[] = {"PNC check",
                                        "Investigation",
                                        "reviewed",
                                        "not",
                                        "CCTV",
                                        "x",
                                        "done-ish",
                                        "out",
                                        "carried",
                                        "n/a",
                                        "Y",
                                        "yes.",
                                        "\xE2\x9C\x93",
                                        "K\xE2\x84\xAAy",
                                        "s\xC5\xBF",
                                        "",
                                        "_",
                                        "1"};
    static const char *const seps[] = {" ", "  ", "-",  " - ",  "\t",
                                       "",  ": ", "\n", "\r\n", "'"};
    const char *paths[1] = {"../../rules"};
    struct ruleset *rs = NULL;
    struct ca_error err = CA_ERROR_INIT;
    struct engine_scratch *s = engine_scratch_new(NULL);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    const struct lexicon *lx;
    int round, yes = 0, no = 0;

    (void)state;
    assert_non_null(s);
    assert_int_equal(ruleset_load(paths, 1, NULL, &rs, &err), CA_OK);
    lx = rs->lex;
    assert_non_null(lx);
    assert_non_null(lx->affirmed_label.code);
    assert_true(lx->affirm_tails_ok); /* so the quick answer is used */
    assert_true(lx->naffirm_tails > 20);
    for (round = 0; round < 60000; round++) {
        char label[200];
        size_t off = 0, k, np = 1 + rnd() % 4;
        int want, got;

        for (k = 0; k < np; k++) {
            const char *w;
            char piece[64];
            size_t i, wl;

            if (rnd() % 2) {
                w = lx->affirm_tails[rnd() % lx->naffirm_tails];
            } else {
                w = other[rnd() % (sizeof(other) / sizeof(other[0]))];
            }
            wl = strlen(w);
            for (i = 0; i < wl && (unsigned char)w[i] < 0x80; i++)
                ;
            if (i == wl && wl > 2 && rnd() % 5 == 0)
                wl -= 1 + rnd() % 2; /* a cut word (valid UTF-8 kept) */
            memcpy(piece, w, wl);
            piece[wl] = '\0';
            for (i = 0; i < wl; i++)
                if (rnd() % 3 == 0 && piece[i] >= 'a' && piece[i] <= 'z')
                    piece[i] = (char)(piece[i] - 32);
            off += (size_t)snprintf(
                label + off, sizeof(label) - off, "%s%s", piece,
                k + 1 < np || rnd() % 3 == 0 ? seps[rnd() % 10] : "");
        }
        want = pcre2_match(lx->affirmed_label.code, (PCRE2_SPTR)label, off, 0,
                           0, md, NULL) >= 0;
        got = context_affirmed_label(s, lx, label, 0, off);
        if (got != want)
            print_error("label '%s': %d, PCRE2 says %d\n", label, got, want);
        assert_int_equal(got, want);
        yes += want;
        no += !want;
    }
    assert_true(yes > 5000 && no > 5000);
    pcre2_match_data_free(md);
    engine_scratch_free(s);
    ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
