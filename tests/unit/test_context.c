/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the context lexicon (engine/lexicon.c, engine/lexscan.c,
 * engine/context.c) on a small lexicon of their own, so that they test the
 * engine's semantics and not the shipped vocabulary: every modifier class
 * (negated, intended, pending, planned, counterfactual, reported, purpose,
 * template), each direction (before, after, both) and scope (clause,
 * sentence), pseudo-triggers, clause-ending words, section headings
 * (labels, titles, regex headings), pasted forms (placeholders,
 * affirmations, titles), "things ... done" pairs, regex items, opening
 * words with a courtesy, author rank classes (and the memo of parsed
 * ranks), the evidence naming the blocking trigger, a concept's mention
 * taken back by a later one (retracted_by), lexicon load errors, and
 * lint's unused entries.
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
#include "engine/rules.h"
#include "ingest/rank.h"
#include "ingest/record.h"
#include "judge.h"
#include "tmpdir.h"

static const char lexicon[] =
    "version: 't1'\n"
    "typos: { min_length: 6, except: [filed, Canvas] }\n"
    "modifiers:\n"
    "  negated:\n"
    "    before: [no, not, 'unable to', 'failed to']\n"
    "    after: ['not possible', 'not done']\n"
    "    both: [declined]\n"
    "  intended:\n"
    "    scope_ends: sentence\n"
    "    scope: 40\n"
    "    before: ['to be', will, please]\n"
    "    after: [tbc, 'to follow']\n"
    "  pending:\n"
    "    before: [awaiting, request]\n"
    "    both: [outstanding, requested]\n"
    "  planned:\n"
    "    headings: ['investigation plan', plan, {regex: '.*\\bactions'}]\n"
    "    lists: true\n"
    "    lists_except: [update, taken]\n"
    "  counterfactual:\n"
    "    before: ['should have', 'ought to have']\n"
    "  reported:\n"
    "    before: ['IP states']\n"
    "  purpose:\n"
    "    before: ['to speak']\n"
    "  copied:\n"
    "    headings: ['c/f']\n"
    "  template:\n"
    "    after: ['[ ]']\n"
    "pseudo: ['no trace', 'no reply']\n"
    "breaks: [but, however]\n"
    "joins: [{regex: '\\(\\d{2}\\)'}]\n"
    "pseudo_terms: ['outcome 16 cctv viewed', 'h2h policy', 'mg11 blank',\n"
    "               'no trace form', 'blank statement']\n"
    "forms:\n"
    "  modifier: template\n"
    "  placeholders: ['[ ]', 'to follow', 'n/a', '-']\n"
    "  affirmations: [yes, completed, viewed, '\xe2\x9c\x93']\n"
    "  results: {labels: [result, outcome], reach: [pending, intended]}\n"
    "concepts:\n"
    "  act:\n"
    "    terms:\n"
    "      - H2H\n"
    "      - {things: [CCTV], done: [viewed, seized], within: 3}\n"
    "      - {things: [request], done: [answered], within: 3}\n"
    "      - {regex: '\\bMG11\\b'}\n"
    "      - no trace\n"
    "      - 'statement taken'\n"
    "      - trawled\n"
    "      - canvass\n"
    "  sup:\n"
    "    blocked_by: [negated]\n"
    "    terms:\n"
    "      - {opening: [arrest, check], courtesy: [please, pls]}\n"
    "      - trailed\n"
    "      - sezied\n"
    "  once:\n"
    "    retracted_by: [negated, pending]\n"
    "    terms: ['door knocking', {regex: '\\bknocked doors\\b'}]\n"
    "  checks:\n"
    "    retracted_by: [pending]\n"
    "    retract_same: thing\n"
    "    terms: [{things: [PNC, ANPR], done: [check, checked], within: 3}]\n"
    "  needy:\n"
    "    needs: [done, nil, 'no reply', 'no replies', completed, complete,\n"
    "            \"o'clock\"]\n"
    "    terms: ['street canvassed']\n"
    "  all:\n"
    "    include: [act, once, checks, needy]\n"
    "  contact:\n"
    "    blocked_by: [negated]\n"
    "    terms: [{things: [VA], done: [arranged, booked], within: 4}]\n"
    "  pursuit:\n"
    "    include: [contact, act]\n"
    "  directed:\n"
    "    include: [act]\n"
    "    supervisor_needs: [done, completed, nil]\n";

static const char rule_act[] = "id: R-ACT\n"
                               "title: t\n"
                               "category: investigation\n"
                               "level: high\n"
                               "status: experimental\n"
                               "applies_to: { type: crime }\n"
                               "check: must_contain\n"
                               "entry:\n"
                               "  concept: all\n"
                               "message: No action\n"
                               "references: [x]\n";

static const char rule_sup[] = "id: R-SUP\n"
                               "title: t\n"
                               "category: supervision\n"
                               "level: high\n"
                               "status: experimental\n"
                               "applies_to: { type: crime }\n"
                               "check: must_contain\n"
                               "entry:\n"
                               "  concept: sup\n"
                               "  author: supervisor\n"
                               "message: No direction\n"
                               "references: [x]\n";

static const char rule_pur[] = "id: R-PUR\n"
                               "title: t\n"
                               "category: investigation\n"
                               "level: high\n"
                               "status: experimental\n"
                               "applies_to: { type: crime }\n"
                               "check: must_contain\n"
                               "entry:\n"
                               "  concept: pursuit\n"
                               "message: No pursuit\n"
                               "references: [x]\n";

static const char rule_dir[] = "id: R-DIR\n"
                               "title: t\n"
                               "category: investigation\n"
                               "level: high\n"
                               "status: experimental\n"
                               "applies_to: { type: crime }\n"
                               "check: must_contain\n"
                               "entry:\n"
                               "  concept: directed\n"
                               "message: No action\n"
                               "references: [x]\n";

static struct ruleset *rs;

static int setup(void **state)
{
    const char *paths[1];
    struct ca_error err = CA_ERROR_INIT;

    tmpdir_setup(state);
    tmpdir_write("rules/lexicon.yaml", lexicon, strlen(lexicon));
    tmpdir_write("rules/R-ACT.yaml", rule_act, strlen(rule_act));
    tmpdir_write("rules/R-SUP.yaml", rule_sup, strlen(rule_sup));
    tmpdir_write("rules/R-PUR.yaml", rule_pur, strlen(rule_pur));
    tmpdir_write("rules/R-DIR.yaml", rule_dir, strlen(rule_dir));
    paths[0] = tmpdir_path("rules");
    if (ruleset_load(paths, 1, NULL, &rs, &err) != CA_OK)
        fail_msg("lexicon did not load: %s:%lu:%lu: %s", err.file, err.line,
                 err.col, err.msg);
    return 0;
}

static int teardown(void **state)
{
    ruleset_free(rs);
    rs = NULL;
    return tmpdir_teardown(state);
}

/* Judge log (one or more entries) under rule id. */
static struct verdict_got judge(const char *id, const char *log)
{
    return judge_log(rs, id, log);
}

struct ccase {
    const char *rule;
    const char *text; /* the entry's text, after a PC's header */
    enum verdict want;
    const char *why; /* a substring of the message, or NULL */
};

static void run_cases(const struct ccase *c, size_t n, const char *header)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char log[2048];
        struct verdict_got g;

        snprintf(log, sizeof(log), "%s%s", header, c[i].text);
        g = judge(c[i].rule, log);
        if (g.v != c[i].want || (c[i].why && !strstr(g.msg, c[i].why)))
            fail_msg("case %zu '%s': got %s '%s', wanted %s '%s'", i, c[i].text,
                     verdict_name(g.v), g.msg, verdict_name(c[i].want),
                     c[i].why ? c[i].why : "");
    }
}

/* ---- the modifier classes ---- */

static void test_negated(void **state)
{
    static const struct ccase c[] = {
        {"R-ACT", "H2H completed.", V_PASS, "counted 'H2H' (all)"},
        {"R-ACT", "No H2H.", V_FAIL, "'H2H' blocked: negated 'No'"},
        {"R-ACT", "H2H not possible.", V_FAIL,
         "'H2H' blocked: negated 'not possible'"},
        /* an after-trigger crosses the dash right before it */
        {"R-ACT", "H2H - not done", V_FAIL, "negated 'not done'"},
        /* both ways: forward and back, within the clause */
        {"R-ACT", "H2H declined by residents", V_FAIL, "negated 'declined'"},
        {"R-ACT", "Declined H2H", V_FAIL, "negated 'Declined'"},
        /* a negation ends at a comma, a full stop, or a word that ends a
         * clause */
        {"R-ACT", "No witnesses, H2H completed", V_PASS, NULL},
        {"R-ACT", "No witnesses. H2H completed", V_PASS, NULL},
        {"R-ACT", "No witnesses but H2H completed", V_PASS, NULL},
        {"R-ACT", "Unable to trace however MG11 taken", V_PASS,
         "counted 'MG11'"},
        /* the trigger's scope is bounded in words */
        {"R-ACT", "No one one one one one one one one one H2H", V_PASS, NULL},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 PC 1 A: ");
}

static void test_intended_and_pending(void **state)
{
    static const struct ccase c[] = {
        /* the trigger inside the term's own words blocks it */
        {"R-ACT", "CCTV to be viewed.", V_FAIL, "intended 'to be'"},
        {"R-ACT", "H2H tbc", V_FAIL, "intended 'tbc'"},
        {"R-ACT", "H2H to follow", V_FAIL, "intended 'to follow'"},
        /* sentence scope: across commas and dashes, not a full stop */
        {"R-ACT", "Please get the footage, H2H by Friday - CCTV viewed", V_FAIL,
         "intended 'Please'"},
        {"R-ACT", "Please get the footage. H2H completed.", V_PASS, NULL},
        {"R-ACT", "Awaiting H2H", V_FAIL, "pending 'Awaiting'"},
        {"R-ACT", "H2H outstanding", V_FAIL, "pending 'outstanding'"},
        {"R-ACT", "H2H requested from the PCSOs", V_FAIL,
         "pending 'requested'"},
        /* a both-ways status alone after a dash or colon reaches back
         * over it; one that goes on is a result and does not */
        {"R-ACT", "H2H - outstanding", V_FAIL, "pending 'outstanding'"},
        {"R-ACT", "H2H: requested, rest days.", V_FAIL, "pending 'requested'"},
        {"R-ACT", "CCTV viewed - declined", V_FAIL, "negated 'declined'"},
        {"R-ACT", "CCTV viewed - declined to give a copy", V_PASS, NULL},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 PC 1 A: ");
}

static void test_planned(void **state)
{
    static const struct ccase c[] = {
        {"R-ACT", "Investigation plan:\n1. H2H\n2. CCTV viewed", V_FAIL,
         "planned 'Investigation plan'"},
        /* a later heading ends the section */
        {"R-ACT", "Plan: H2H. Update: H2H completed", V_PASS, NULL},
        /* a list item with a dash is not a heading that ends it */
        {"R-ACT", "Plan: MG11; CCTV - the shop; H2H", V_FAIL, "planned"},
        /* a regex heading: any label ending in "actions" */
        {"R-ACT", "Police actions: H2H", V_FAIL, "planned 'Police actions'"},
        {"R-ACT", "Actions completed: H2H", V_PASS, NULL},
        /* a heading whose own value begins with a result records it */
        {"R-ACT", "Police actions: completed H2H", V_PASS, "counted 'H2H'"},
        {"R-ACT", "Police actions: completed - H2H at no. 4, nil", V_PASS,
         "counted"},
        {"R-ACT", "Police actions: H2H - tomorrow", V_FAIL, "planned"},
        /* a title over form fields */
        {"R-ACT", "INVESTIGATION PLAN\nOffence: damage\n1. H2H", V_FAIL,
         "planned"},
        /* ...but a field under it that records a result counts */
        {"R-ACT", "INVESTIGATION PLAN\nOffence: damage\nCCTV: viewed", V_PASS,
         NULL},
        /* a note in brackets after a title or a label is not part of the
         * heading */
        {"R-ACT",
         "INVESTIGATION PLAN (Student Officer - for tutor check)\n"
         "Offence: damage\nIntel: MG11 from W1",
         V_FAIL, "planned 'INVESTIGATION PLAN'"},
        {"R-ACT", "INVESTIGATION PLAN\nOffence: damage (to a car)\n1. H2H",
         V_FAIL, "planned 'INVESTIGATION PLAN'"},
        {"R-ACT", "Plan (agreed with DS): H2H", V_FAIL, "planned"},
        /* a field whose label says it was done records a result */
        {"R-ACT",
         "INVESTIGATION PLAN\nOffence: damage\nEnquiries completed: H2H 1-9",
         V_PASS, "counted 'H2H'"},
        {"R-ACT", "INVESTIGATION PLAN\nOffence: damage\nEnquiries: H2H 1-9",
         V_FAIL, "planned"},
        /* ...not a label that says it was not */
        {"R-ACT",
         "INVESTIGATION PLAN\nOffence: damage\nEnquiries not completed: H2H "
         "1-9",
         V_FAIL, "planned"},
        {"R-ACT", "Update (day 2): H2H completed", V_PASS, NULL},
        /* an item that records its own result, in brackets or after a
         * dash, is out of the plan; the rest of the plan is not */
        {"R-ACT",
         "Investigation plan:\n1. MG11 [outstanding]\n2. H2H [completed]",
         V_PASS, "counted 'H2H'"},
        {"R-ACT", "Investigation plan:\n1. H2H - completed 04/03\n2. MG11",
         V_PASS, NULL},
        {"R-ACT", "Investigation plan:\n1. H2H (yes - nil)\n2. MG11", V_PASS,
         NULL},
        {"R-ACT", "Investigation plan:\n1. H2H - completed (5 props)\n2. MG11",
         V_PASS, "counted 'H2H'"},
        {"R-ACT", "Investigation plan:\n1. Scene [completed]\n2. H2H", V_FAIL,
         "planned"},
        /* ...and so is an item after a comma or semicolon on the
         * heading's own line; its neighbours are not */
        {"R-ACT",
         "Police actions: H2H - completed (5 props), MG11 from W1 - TBC",
         V_PASS, "counted 'H2H'"},
        {"R-ACT", "Police actions: DASH - completed; H2H", V_FAIL,
         "planned 'Police actions'"},
        /* ...but a line without a break is one item */
        {"R-ACT", "Police actions: 1. H2H 2. MG11 - completed", V_FAIL,
         "planned"},
        /* a status that goes on is an instruction, not a result */
        {"R-ACT", "Investigation plan:\n1. H2H - completed by Friday", V_FAIL,
         "planned"},
        {"R-ACT",
         "Investigation plan:\n1. H2H - completed at the earliest chance",
         V_FAIL, "planned"},
        /* ...but where or when it was done is a result ("- MG11 IP - done
         * at scene 1130") */
        {"R-ACT", "Investigation plan:\n1. MG11\n2. H2H - completed at scene",
         V_PASS, "counted 'H2H'"},
        {"R-ACT", "Investigation plan:\n1. H2H - completed at 1130\n2. MG11",
         V_PASS, "counted 'H2H'"},
        {"R-ACT", "Investigation plan:\n1. MG11\n2. H2H - completed today, nil",
         V_PASS, "counted 'H2H'"},
        {"R-ACT", "Investigation plan:\n1. H2H - completed this morning",
         V_PASS, "counted 'H2H'"},
        {"R-ACT", "Investigation plan:\n1. H2H (completed?)", V_FAIL,
         "planned"},
        /* a numbered heading opens its section ("2. Actions: ...") */
        {"R-ACT", "1. Rationale: high harm.\n2. Police actions: H2H; MG11",
         V_FAIL, "planned 'Police actions'"},
        {"R-ACT", "Agreed. (2) Police actions: H2H", V_FAIL, "planned"},
        /* a label of any words in running text over a list numbered
         * from 1 or a opens the section (lists: true) */
        {"R-ACT", "Serious. Strategy: (1) H2H; (2) MG11", V_FAIL,
         "planned 'Strategy'"},
        {"R-ACT", "Serious. You need to: 1) H2H, 2) MG11", V_FAIL,
         "planned 'You need to'"},
        {"R-ACT", "Serious. Tasks for PC Lee:\na) H2H\nb) MG11\nReport back.",
         V_FAIL, "planned 'Tasks for PC Lee'"},
        /* ...not without the list, at a line's start, nor when the label
         * reports (lists_except, an affirmed label) */
        {"R-ACT", "Serious. Strategy: H2H first", V_PASS, NULL},
        {"R-ACT", "Strategy: (1) H2H; (2) MG11", V_PASS, NULL},
        {"R-ACT", "Day 2. Update: (1) H2H; (2) MG11", V_PASS, NULL},
        {"R-ACT", "Day 2. Actions taken: (1) H2H", V_PASS, NULL},
        {"R-ACT", "Day 2. Enquiries completed: 1) H2H", V_PASS, NULL},
        {"R-ACT", "Serious. Strategy: (2) H2H", V_PASS, NULL},
        /* "a) H2H" at a line's start is an item, not a title that ends
         * the plan */
        {"R-ACT", "Investigation plan:\na) MG11\nb) H2H", V_FAIL, "planned"},
        {"R-ACT", "Investigation plan:\n(1) MG11\n(ii) H2H", V_FAIL, "planned"},
        /* ...other numbered labels are items, not headings */
        {"R-ACT", "1. CCTV: viewed, nothing of use", V_PASS, NULL},
        {"R-ACT", "Investigation plan:\n1. Scene: examined\n2. H2H", V_FAIL,
         "planned"},
        /* text copied forward from an earlier entry (a heading-only
         * modifier) records nothing new */
        {"R-ACT", "c/f - H2H completed, CCTV viewed", V_FAIL, "copied 'c/f'"},
        {"R-ACT", "c/f - H2H completed\n\nUpdate: CCTV viewed", V_PASS,
         "counted 'CCTV viewed'"},
        /* a label right after the heading is its first item, not a
         * heading that ends the section */
        {"R-ACT", "c/f - Enquiries: H2H completed, CCTV viewed", V_FAIL,
         "copied 'c/f'"},
        {"R-ACT", "c/f: H2H completed. Update: CCTV viewed", V_PASS,
         "counted 'CCTV viewed'"},
        /* a bulleted item is an item of the section, not a title that
         * ends it */
        {"R-ACT", "Investigation plan:\n- MG11 from W1\n- H2H", V_FAIL,
         "planned 'Investigation plan'"},
        {"R-ACT", "Investigation plan:\n* MG11 from W1\n* H2H", V_FAIL,
         "planned"},
        {"R-ACT",
         "Investigation plan:\n\xe2\x80\xa2 MG11 from W1\n"
         "\xe2\x80\xa2 H2H",
         V_FAIL, "planned"},
        /* ...while a bulleted label with a colon is still a heading */
        {"R-ACT", "Plan: MG11 from W1\n- Update: H2H", V_PASS, NULL},
        {"R-ACT", "Plan: MG11 from W1\n- H2H", V_FAIL, "planned 'Plan'"},
        /* bullets outside a section are not in one */
        {"R-ACT", "Attended.\n- MG11 from W1\n- H2H", V_PASS, NULL},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 PC 1 A: ");
}

/* A result field answers for the field above it (forms.results): the
 * modifiers of reach in its value block that field's value; negated does
 * not reach (a negative result is a result). */
static void test_results(void **state)
{
    static const struct ccase c[] = {
        {"R-ACT", "Action: H2H\nResult: awaiting return", V_FAIL,
         "'H2H' blocked: pending 'awaiting'"},
        {"R-ACT", "Enquiry: H2H\nCanlyniad / Outcome: to be done", V_FAIL,
         "intended 'to be'"},
        {"R-ACT", "Action: H2H\nResult: no reply at 4 doors", V_PASS,
         "counted 'H2H'"},
        /* not a result's label */
        {"R-ACT", "Action: H2H\nNotes: awaiting return", V_PASS,
         "counted 'H2H'"},
        /* not the field right above */
        {"R-ACT", "Action: H2H\n\nResult: awaiting return", V_PASS,
         "counted 'H2H'"},
        {"R-ACT", "H2H done.\nResult: awaiting CCTV", V_PASS, "counted 'H2H'"},
        /* a result's own value */
        {"R-ACT", "Action: statement\nResult: awaiting H2H", V_FAIL, "pending"},
        /* fields after any of the bullets of every list reader */
        {"R-ACT", "> Action: H2H\n> Result: awaiting return", V_FAIL,
         "'H2H' blocked: pending 'awaiting'"},
        {"R-ACT",
         "\xe2\x80\xa2 Action: H2H\n\xe2\x80\xa2 Result: awaiting return",
         V_FAIL, "'H2H' blocked: pending 'awaiting'"},
        {"R-ACT", "- Action: H2H\n- Result: awaiting return", V_FAIL,
         "'H2H' blocked: pending 'awaiting'"},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 PC 1 A: ");
}

/* supervisor_needs: in an entry by a sergeant or above, a term counts
 * only with one of the words in its sentence. */
static void test_supervisor_needs(void **state)
{
    static const struct ccase sup[] = {
        {"R-DIR", "H2H Mill Row today.", V_FAIL,
         "'H2H' blocked: a supervisor's entry that does not say it was done"},
        {"R-DIR", "Good work. H2H done, nil.", V_PASS, "counted 'H2H'"},
        /* the sentence, not the entry */
        {"R-DIR", "H2H done. CCTV viewed.", V_PASS, "counted 'H2H'"},
        {"R-DIR", "Nil CCTV. H2H Mill Row today.", V_FAIL, "supervisor"},
        /* a concept without the key is not held to it */
        {"R-ACT", "H2H Mill Row today.", V_PASS, "counted 'H2H'"},
    };
    static const struct ccase pc[] = {
        {"R-DIR", "H2H Mill Row today.", V_PASS, "counted 'H2H'"},
    };

    (void)state;
    run_cases(sup, sizeof(sup) / sizeof(sup[0]), "2023-01-02 10:00 PS 1 A: ");
    run_cases(sup + 1, 1, "2023-01-02 10:00 DCI 1 A: ");
    run_cases(pc, 1, "2023-01-02 10:00 PC 1 A: ");
    run_cases(pc, 1, "2023-01-02 10:00 Staff 1 A: ");
}

static void test_counterfactual_reported_purpose(void **state)
{
    static const struct ccase c[] = {
        {"R-ACT", "Ought to have done H2H on day one", V_FAIL,
         "counterfactual 'Ought to have'"},
        {"R-ACT", "IP states CCTV viewed by her son", V_FAIL,
         "reported 'IP states'"},
        /* purpose reaches its clause only: the dash ends it */
        {"R-ACT", "Attended to speak to him - no trace", V_PASS,
         "counted 'no trace'"},
        {"R-ACT", "Attended to speak to him about H2H", V_FAIL,
         "purpose 'to speak'"},
        /* a join ends no clause: the age in brackets is inside the
         * report; another bracket still ends it */
        {"R-ACT", "IP states her son (14) viewed CCTV", V_FAIL,
         "reported 'IP states'"},
        {"R-ACT", "IP states her son (aged 14) viewed CCTV", V_PASS,
         "counted 'viewed CCTV'"},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 PC 1 A: ");
}

static void test_pseudo_and_pairs(void **state)
{
    static const struct ccase c[] = {
        /* "no trace" is a result, not a negation of what follows */
        {"R-ACT", "no trace at the address", V_PASS, "counted 'no trace'"},
        {"R-ACT", "Visited - no reply. H2H completed", V_PASS, NULL},
        /* pairs: either order, at most within - 1 words between */
        {"R-ACT", "CCTV was viewed", V_PASS, "counted 'CCTV was viewed'"},
        {"R-ACT", "seized the CCTV", V_PASS, NULL},
        {"R-ACT", "CCTV from the big shop viewed", V_FAIL, NULL},
        /* ...and never across a clause boundary */
        {"R-ACT", "CCTV. Viewed the scene.", V_FAIL, NULL},
        {"R-ACT", "CCTV, viewed", V_FAIL, NULL},
        /* ...which a full stop inside a word is not ("s.37", "ref.9") */
        {"R-ACT", "CCTV ref.9 viewed", V_PASS, "counted 'CCTV ref.9 viewed'"},
        {"R-ACT", "CCTV ref. viewed", V_FAIL, NULL},
        /* a pair whose done word is a label's and whose thing is in its
         * value: the value's context decides too */
        {"R-ACT", "Viewed: will do CCTV", V_FAIL,
         "'Viewed: will do CCTV' blocked: intended 'will'"},
        {"R-ACT", "Viewed: CCTV not done", V_FAIL,
         "'Viewed: CCTV' blocked: negated 'not done'"},
        /* elsewhere the done word's context decides: a result after a
         * dash does not reach back over the done word; and a thing that
         * is itself a trigger does not block its own pair */
        {"R-ACT", "Viewed the CCTV from the shop - not possible to identify",
         V_PASS, "counted 'Viewed the CCTV'"},
        {"R-ACT", "The bank answered our request.", V_PASS,
         "counted 'answered our request'"},
        {"R-ACT", "The bank answered our request for CCTV.", V_PASS, NULL},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 PC 1 A: ");
}

static void test_pseudo_terms(void **state)
{
    static const struct ccase c[] = {
        /* a pair, a phrase and a regex term, each within a pseudo-term,
         * count for no concept */
        {"R-ACT", "Agree outcome 16 - CCTV viewed", V_FAIL, NULL},
        {"R-ACT", "See the H2H policy", V_FAIL, NULL},
        {"R-ACT", "MG11 blank", V_FAIL, NULL},
        {"R-ACT", "No trace form sent", V_FAIL, NULL},
        {"R-ACT", "Address visited, no trace", V_PASS, "counted 'no trace'"},
        /* a term that runs past the pseudo-term is still one */
        {"R-ACT", "Blank statement taken to the IP, statement taken", V_PASS,
         "counted 'statement taken'"},
        {"R-ACT", "Blank statement taken", V_PASS, "counted 'statement taken'"},
        /* the same terms outside a pseudo-term count, in the same entry */
        {"R-ACT", "CCTV viewed. Outcome 16 agreed", V_PASS,
         "counted 'CCTV viewed'"},
        {"R-ACT", "H2H done, as the H2H policy says", V_PASS, "counted 'H2H'"},
        {"R-ACT", "MG11 blank at first. MG11 signed", V_PASS, "counted 'MG11'"},
        /* a pseudo-term is no negation: it hides only what it holds */
        {"R-ACT", "H2H policy read; CCTV viewed", V_PASS,
         "counted 'CCTV viewed'"},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 PC 1 A: ");
}

static void test_needs(void **state)
{
    static const struct ccase c[] = {
        /* a term of a concept with needs counts only when its sentence
         * holds one of the words, also when asked for through a concept
         * that includes it */
        {"R-ACT", "Street canvassed for doorbells", V_FAIL,
         "'Street canvassed' blocked: its sentence does not say it was done "
         "(needy)"},
        {"R-ACT", "Street canvassed - nil", V_PASS,
         "counted 'Street canvassed'"},
        {"R-ACT", "Street canvassed, no reply at 4", V_PASS, NULL},
        /* its words also match misspelt, as the lexicon's phrases do */
        {"R-ACT", "Street canvassed - compelted", V_PASS, NULL},
        {"R-ACT", "Street canvassed - ompleted", V_FAIL, NULL},
        /* words that begin others (one trie of them all) */
        {"R-ACT", "Street canvassed - complete", V_PASS, NULL},
        {"R-ACT", "Street canvassed - no  replies", V_PASS, NULL},
        {"R-ACT", "Street canvassed - no-reply", V_PASS, NULL},
        {"R-ACT", "Street canvassed - no repl", V_FAIL, NULL},
        {"R-ACT", "Street canvassed - completes", V_FAIL, NULL},
        {"R-ACT",
         "Street canvassed at 6 o\xe2\x80\x99"
         "clock",
         V_PASS, NULL},
        /* the next sentence is not its sentence */
        {"R-ACT", "Street canvassed. Nil CCTV", V_FAIL, NULL},
        /* a modifier still blocks first */
        {"R-ACT", "Street canvassed not done", V_FAIL, NULL},
        /* other concepts' terms need nothing */
        {"R-ACT", "H2H on the street", V_PASS, "counted 'H2H'"},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 PC 1 A: ");
}

static void test_included_blocked_by(void **state)
{
    static const struct ccase c[] = {
        /* a term of an included concept with blocked_by of its own is
         * stopped by those modifiers only ("contact": negated) */
        {"R-PUR", "VA to be arranged for Tuesday", V_PASS,
         "counted 'VA to be arranged'"},
        {"R-PUR", "No VA arranged", V_FAIL, "negated 'No'"},
        /* one of an included concept without its own, by the including
         * concept's (here all modifiers) */
        {"R-PUR", "Will do H2H", V_FAIL, "intended 'Will'"},
        {"R-PUR", "H2H done", V_PASS, "counted 'H2H' (pursuit)"},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 PC 1 A: ");
}

static void test_typos(void **state)
{
    static const struct ccase c[] = {
        /* one letter left out, two neighbours swapped */
        {"R-ACT", "Statment taken from W1.", V_PASS,
         "counted 'Statment taken'"},
        {"R-ACT", "CCTV veiwed at the shop", V_PASS, "counted 'CCTV veiwed'"},
        /* "sezied" is also written, as a term of "sup": a written
         * misspelling means what the word it misspells means too, so it
         * still does the done side of "CCTV ... seized" */
        {"R-ACT", "CCTV sezied", V_PASS, "counted 'CCTV sezied'"},
        /* one edit per phrase; words under six letters are as written */
        {"R-ACT", "Statment takne", V_FAIL, NULL},
        {"R-ACT", "Statement takn", V_FAIL, NULL},
        /* never the first letter, nor the last left out */
        {"R-ACT", "Tsatement taken", V_FAIL, NULL},
        {"R-ACT", "Please seize the CCTV", V_FAIL, NULL},
        /* a misspelt trigger blocks as the trigger does */
        {"R-ACT", "Faled to H2H the street", V_FAIL, "negated 'Faled to'"},
        /* a spelling that is a word of its own (typos.except) is that word:
         * "filed to" is not "failed to", "canvas" not "canvass" */
        {"R-ACT", "Filed to the team who did H2H", V_PASS, NULL},
        {"R-ACT", "Canvas bag found", V_FAIL, NULL},
        {"R-ACT", "Canvas the street", V_FAIL, NULL},
        {"R-ACT", "Canvass of the street", V_PASS, NULL},
        /* a spelling reached from two phrases ("trawled" of one concept,
         * "trailed" of another) is neither */
        {"R-ACT", "Traled the area", V_FAIL, NULL},
        {"R-ACT", "Trawled the area", V_PASS, NULL},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 PC 1 A: ");
}

static void test_forms(void **state)
{
    static const struct ccase c[] = {
        /* an empty or placeholder value puts its line in scope */
        {"R-ACT", "H2H: [ ]\nCCTV: to follow", V_FAIL, "template"},
        {"R-ACT", "H2H: n/a - not required\nCCTV: to follow", V_FAIL,
         "template"},
        /* in a form, a label counts only when its value affirms it */
        {"R-ACT", "H2H: completed, nil\nCCTV: n/a", V_PASS, "counted 'H2H'"},
        {"R-ACT", "H2H: Acacia Ave\nCCTV: n/a", V_FAIL, "template"},
        /* a value holding the action counts */
        {"R-ACT", "Result: H2H completed\nNotes: none", V_PASS, NULL},
        /* one "Label: value" line is not a form */
        {"R-ACT", "H2H: Acacia Ave, nil", V_PASS, NULL},
        /* a title above fields that are all empty is in scope */
        {"R-ACT", "H2H RETURN FORM\nComments: [ ]\nSigned: [ ]", V_FAIL,
         "template"},
        {"R-ACT", "H2H RETURN FORM\nComments: nil\nSigned: PC 1", V_PASS,
         "counted 'H2H'"},
        /* a placeholder of dashes is the dashes: a value that begins with
         * another sign ("(W1)", a tick) is no placeholder */
        {"R-ACT", "H2H: -\nCCTV: n/a", V_FAIL, "template 'H2H: -'"},
        {"R-ACT", "MG11: (W1) taken", V_PASS, "counted 'MG11'"},
        {"R-ACT", "Scene: n/a\nH2H: \xe2\x9c\x93 nos 1-9, nil", V_PASS,
         "counted 'H2H'"},
        /* a label may hold hyphens inside words and a '+' in brackets:
         * before, the bracket ended the label and freed the term */
        {"R-ACT", "Scene: attended\nH2H (Mill-Row): [ ]", V_FAIL, "template"},
        {"R-ACT", "Scene: attended\nH2H (nos 1 + 3): [ ]", V_FAIL, "template"},
        {"R-ACT", "Scene: attended\nH2H (nos 1 + 3): completed, nil", V_PASS,
         "counted 'H2H'"},
        /* a spaced dash still ends a label: its value is the rest */
        {"R-ACT", "Scene: attended\nH2H - Mill Row: nil", V_PASS,
         "counted 'H2H'"},
    };

    (void)state;
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 PC 1 A:\n");
}

static void test_opening_and_author(void **state)
{
    static const struct ccase c[] = {
        {"R-SUP", "Arrest him today.", V_PASS, "counted 'Arrest'"},
        {"R-SUP", "Please check the file.", V_PASS, "counted 'check'"},
        {"R-SUP", "pls: arrest him", V_PASS, NULL},
        {"R-SUP", "Good work.\n1. check CCTV", V_PASS, NULL},
        /* a bullet that starts its line opens an item: "- ", "* ", "> ",
         * "\xe2\x80\xa2 " */
        {"R-SUP", "Sgt review:\n  > check CCTV", V_PASS, "counted 'check'"},
        {"R-SUP", "Noted.\n- arrest him", V_PASS, NULL},
        {"R-SUP", "Noted.\n* arrest him", V_PASS, NULL},
        {"R-SUP", "Noted.\n\xe2\x80\xa2 arrest him", V_PASS, NULL},
        /* ...but not a dash inside a line, nor a bullet with no blank */
        {"R-SUP", "H2H done - check CCTV", V_FAIL, NULL},
        {"R-SUP", "Noted.\n>check CCTV", V_FAIL, NULL},
        {"R-SUP", "He will arrest him", V_FAIL, NULL},
        {"R-SUP", "Do not arrest him", V_FAIL, NULL},
    };
    struct verdict_got g;

    (void)state;
    /* every rank spelling of a sergeant or above is a supervisor */
    run_cases(c, sizeof(c) / sizeof(c[0]), "2023-01-02 10:00 A/Sgt 5 B: ");
    run_cases(c, 1, "2023-01-02 10:00 T/D/Sgt 5 B: ");
    run_cases(c, 1, "2023-01-02 10:00 Custody Sergeant 5 B: ");
    run_cases(c, 1, "2023-01-02 10:00 Ch Supt B: ");
    /* a constable's words are a near miss, said so */
    g = judge("R-SUP", "2023-01-02 10:00 PC 1 A: Arrest him today.");
    assert_int_equal(g.v, V_FAIL);
    assert_non_null(strstr(g.msg, "rank does not qualify"));
    g = judge("R-SUP", "2023-01-02 10:00 Staff 1 A: Arrest him today.");
    assert_int_equal(g.v, V_FAIL);
    /* the first near miss is named, whatever comes after it (reasons are
     * worked out only until one is found) */
    g = judge("R-SUP", "2023-01-02 10:00 PC 1 A: Nothing.\n"
                       "2023-01-03 10:00 PC 1 A: Arrest him today.\n"
                       "2023-01-04 10:00 PS 2 B: Do not arrest him.\n"
                       "2023-01-05 10:00 PC 1 A: Arrest him now.");
    assert_int_equal(g.v, V_FAIL);
    assert_non_null(strstr(g.msg, "nearest: the entry at 2023-01-03 10:00 "
                                  "matched but its author's rank does not "
                                  "qualify"));
    g = judge("R-SUP", "2023-01-02 10:00 PC 1 A: Nothing.\n"
                       "2023-01-03 10:00 PS 2 B: No trailed.\n"
                       "2023-01-04 10:00 PC 1 A: Arrest him today.\n"
                       "2023-01-05 10:00 PS 2 B: No trailed again.");
    assert_int_equal(g.v, V_FAIL);
    assert_non_null(strstr(g.msg, "nearest: the entry at 2023-01-03 10:00 "
                                  "'trailed' blocked: negated 'No'"));
}

static void test_bad_timestamp_is_error(void **state)
{
    struct verdict_got g;

    (void)state;
    g = judge("R-ACT", "2023-01-02 10:00 PC 1 A: Crime recorded.\n"
                       "2023-09-31 10:00 DS 2 B: H2H completed.");
    assert_int_equal(g.v, V_ERROR);
    assert_non_null(strstr(g.msg, "case log line 2"));
    assert_non_null(strstr(g.msg, "2023-09-31 10:00"));
}

static void test_ranks(void **state)
{
    static const struct {
        const char *s;
        enum rank_class c;
        const char *canon;
    } t[] = {
        {"PC", RK_CONSTABLE, "PC"},
        {"A/Sgt", RK_SERGEANT, "PS"},
        {"T/DS", RK_SERGEANT, "DS"},
        {"T/D/Sgt", RK_SERGEANT, "DS"},
        {"Det Sgt", RK_SERGEANT, "DS"},
        {"Custody Sergeant", RK_SERGEANT, "PS"},
        {"Sergeant", RK_SERGEANT, "PS"},
        {"A/Insp", RK_INSPECTOR, "Insp"},
        {"DI", RK_INSPECTOR, "DI"},
        {"Ch Supt", RK_SUPERINTENDENT, "CSupt"},
        {"Det Supt", RK_SUPERINTENDENT, "DSupt"},
        {"Chief Inspector", RK_CHIEF_INSPECTOR, "CI"},
        {"PSI", RK_STAFF, "Staff"},
        {"Investigator", RK_STAFF, "Staff"},
        {"PCSO", RK_CONSTABLE, "PCSO"},
    };
    struct rank_info ri;
    enum rank_class k;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (rank_parse(t[i].s, strlen(t[i].s), &ri) != 0 || ri.cls != t[i].c ||
            strcmp(ri.canon, t[i].canon) != 0)
            fail_msg("rank '%s': class %s canon '%s'", t[i].s,
                     rank_class_name(ri.cls), ri.canon);
    }
    assert_int_equal(rank_parse("Smith", 5, &ri), -1);
    assert_int_equal(ri.cls, RK_NONE);
    assert_int_equal(rank_parse("A PC", 4, &ri), -1); /* "A" needs its slash */
    assert_int_equal(rank_class_parse("supervisor", &k), 0);
    assert_int_equal(k, RK_SERGEANT);
}

/* rank_parse_memo answers as rank_parse, whatever came before: random
 * runs of rank spellings, prefixes, case, blanks, non-ranks and texts too
 * long to keep, many sharing a memo slot. */
static void test_rank_memo(void **state)
{
    static const char *const parts[] = {"PC",
                                        "Sgt",
                                        "PS",
                                        "DS",
                                        "A/",
                                        "T/",
                                        "D/",
                                        "Det ",
                                        "Custody ",
                                        "Insp",
                                        "Supt",
                                        "Ch ",
                                        "sgt",
                                        "SGT",
                                        "Staff",
                                        "PCSO",
                                        " ",
                                        ".",
                                        "x",
                                        "Smith",
                                        "Chief Inspector",
                                        "Police Staff Investigator"};
    struct rank_memo *m = calloc(1, sizeof(*m));
    struct rank_info a, b;
    char text[80];
    uint64_t x = 88172645463325252ull;
    size_t i, k, kept = 0;

    (void)state;
    assert_non_null(m);
    for (i = 0; i < 20000; i++) {
        size_t len = 0, n;
        int ra, rb;

        x ^= x << 13; /* xorshift64 */
        x ^= x >> 7;
        x ^= x << 17;
        n = 1 + x % 3;
        for (k = 0; k < n; k++) {
            const char *p =
                parts[(x >> (8 * k)) % (sizeof(parts) / sizeof(parts[0]))];

            memcpy(text + len, p, strlen(p));
            len += strlen(p);
        }
        ra = rank_parse(text, len, &a);
        rb = rank_parse_memo(m, text, len, &b);
        if (ra != rb || a.cls != b.cls || strcmp(a.canon, b.canon) != 0 ||
            a.acting != b.acting || a.detective != b.detective ||
            a.custody != b.custody)
            fail_msg("rank '%.*s': memo says %s '%s'", (int)len, text,
                     rank_class_name(b.cls), b.canon);
        kept += len <= RANK_MEMO_TEXT;
    }
    assert_true(kept > 10000);
    free(m);
}

/* A concept with retracted_by: a mention read as done is taken back by a
 * later mention, in the same entry or a later one, in scope of one of its
 * modifiers; not by an earlier one, not by a modifier it does not name,
 * and a mention of another concept is not taken back. */
static void test_retracted(void **state)
{
    static const char *const two = "2023-01-02 10:00 PS 1 A: %s\n"
                                   "2023-01-03 10:00 PC 2 B: %s";
    static const struct {
        const char *first, *later;
        enum verdict want;
        const char *why;
    } c[] = {
        {"Door knocking Acacia Ave today.", "Door knocking not done.", V_FAIL,
         "'Door knocking' taken back by the entry at 2023-01-03 10:00: "
         "'Door knocking' negated 'not done'"},
        {"Door knocking Acacia Ave today.", "Door knocking outstanding.",
         V_FAIL, "pending 'outstanding'"},
        /* a regex item of the concept */
        {"Knocked doors in Acacia Ave.", "knocked doors not possible", V_FAIL,
         "taken back"},
        /* the later mention in the same entry */
        {"Door knocking in Acacia Ave; door knocking in Birch Rd not done.",
         "IP updated.", V_FAIL, "taken back by the same entry"},
        /* an earlier blocked mention takes nothing back */
        {"Door knocking not done.", "Door knocking completed, nil.", V_PASS,
         "counted 'Door knocking'"},
        /* a later mention that is not blocked, or blocked by a modifier the
         * concept does not name */
        {"Door knocking completed.", "Door knocking in Birch Rd too.", V_PASS,
         NULL},
        {"Door knocking completed.", "Door knocking should have been wider.",
         V_PASS, NULL},
        /* another concept's action stands, and counts when it is there */
        {"H2H completed.", "H2H not done in Birch Rd.", V_PASS,
         "counted 'H2H'"},
        {"Door knocking today. MG11 taken.", "Door knocking not done.", V_PASS,
         "counted 'MG11'"},
        /* retract_same: thing: only a later mention of the same thing */
        {"ANPR check on the VRM.", "ANPR check outstanding.", V_FAIL,
         "'ANPR check' taken back by the entry at 2023-01-03 10:00: "
         "'ANPR check' pending 'outstanding'"},
        {"PNC check on the VRM.", "ANPR check outstanding.", V_PASS,
         "counted 'PNC check'"},
        {"Checked PNC for the keeper.", "PNC check outstanding.", V_FAIL,
         "taken back"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        char log[1024];
        struct verdict_got g;

        snprintf(log, sizeof(log), two, c[i].first, c[i].later);
        g = judge("R-ACT", log);
        if (g.v != c[i].want || (c[i].why && !strstr(g.msg, c[i].why)))
            fail_msg("case %zu: got %s '%s', wanted %s '%s'", i,
                     verdict_name(g.v), g.msg, verdict_name(c[i].want),
                     c[i].why ? c[i].why : "");
    }
}

/* ---- loading ---- */

static void load_one(const char *lex, const char *rule, enum ca_status want,
                     unsigned long line, const char *needle)
{
    const char *paths[1];
    struct ruleset *r = NULL;
    struct ca_error err = CA_ERROR_INIT;
    char dir[64];
    static int n;

    snprintf(dir, sizeof(dir), "l%d", n++);
    {
        char p[128];
        snprintf(p, sizeof(p), "%s/lexicon.yaml", dir);
        tmpdir_write(p, lex, strlen(lex));
        snprintf(p, sizeof(p), "%s/R.yaml", dir);
        tmpdir_write(p, rule, strlen(rule));
    }
    paths[0] = tmpdir_path(dir);
    assert_int_equal(ruleset_load(paths, 1, NULL, &r, &err), want);
    if (want != CA_OK) {
        if (err.line != line || !strstr(err.msg, needle))
            fail_msg("got %s:%lu: %s", err.file, err.line, err.msg);
    }
    ruleset_free(r);
}

static void test_load_errors(void **state)
{
    (void)state;
    /* the same phrase before and after: it belongs under both */
    load_one("version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
             "    after: [no]\nconcepts:\n  a:\n    terms: [x]\n",
             rule_act, CA_DATA, 5, "listed twice");
    /* an unknown modifier in blocked_by, with a suggestion */
    load_one("version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
             "concepts:\n  all:\n    blocked_by: [negatd]\n    terms: [x]\n",
             rule_act, CA_DATA, 7, "did you mean 'negated'");
    /* a concept that includes itself */
    load_one("version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
             "concepts:\n  all:\n    include: [b]\n  b:\n    include: [all]\n",
             rule_act, CA_DATA, 6, "includes itself");
    /* typos: a length out of range, an except item that is not a word,
     * one listed twice */
    load_one(
        "version: '1'\ntypos: { min_length: 2 }\nmodifiers:\n"
        "  negated:\n    before: [no]\nconcepts:\n  all:\n    terms: [x]\n",
        rule_act, CA_DATA, 2, "min_length");
    load_one("version: '1'\ntypos: { min_length: 6, except: ['not a'] }\n"
             "modifiers:\n  negated:\n    before: [no]\nconcepts:\n  all:\n"
             "    terms: [x]\n",
             rule_act, CA_DATA, 2, "one word of letters");
    load_one("version: '1'\ntypos: { min_length: 6, except: [abc, ABC] }\n"
             "modifiers:\n  negated:\n    before: [no]\nconcepts:\n  all:\n"
             "    terms: [x]\n",
             rule_act, CA_DATA, 2, "listed twice");
    /* supervisor_needs: a list of phrases */
    load_one("version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
             "concepts:\n  all:\n    supervisor_needs: done\n"
             "    terms: [x]\n",
             rule_act, CA_DATA, 7, "supervisor_needs");
    /* lists: true or false, on one modifier only; lists_except only
     * with it */
    load_one("version: '1'\nmodifiers:\n  planned:\n    before: [plan]\n"
             "    lists: yes\nconcepts:\n  all:\n    terms: [x]\n",
             rule_act, CA_DATA, 5, "'lists' is true or false");
    load_one("version: '1'\nmodifiers:\n  planned:\n    before: [plan]\n"
             "    lists: true\n  pending:\n    before: [await]\n"
             "    lists: true\nconcepts:\n  all:\n    terms: [x]\n",
             rule_act, CA_DATA, 8, "only one modifier");
    load_one("version: '1'\nmodifiers:\n  planned:\n    before: [plan]\n"
             "    lists_except: [update]\nconcepts:\n  all:\n"
             "    terms: [x]\n",
             rule_act, CA_DATA, 5, "needs 'lists: true'");
    /* retracted_by: a modifier's name, and only with a concept's own
     * terms */
    load_one("version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
             "concepts:\n  all:\n    retracted_by: [negatd]\n"
             "    terms: [x]\n",
             rule_act, CA_DATA, 7, "did you mean 'negated'");
    load_one("version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
             "concepts:\n  b:\n    terms: [x]\n  all:\n    include: [b]\n"
             "    retracted_by: [negated]\n",
             rule_act, CA_DATA, 10, "not with 'include'");
    load_one("version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
             "concepts:\n  all:\n    retract_same: thing\n    terms: [x]\n",
             rule_act, CA_DATA, 7, "goes with 'retracted_by'");
    load_one("version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
             "concepts:\n  all:\n    retracted_by: [negated]\n"
             "    retract_same: word\n    terms: [x]\n",
             rule_act, CA_DATA, 8, "retract_same");
    /* needs: a list of words */
    load_one("version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
             "concepts:\n  all:\n    needs: done\n    terms: [x]\n",
             rule_act, CA_DATA, 7, "needs");
    /* pseudo_terms: phrases only */
    load_one("version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
             "pseudo_terms: [{regex: 'x y'}]\n"
             "concepts:\n  all:\n    terms: [x]\n",
             rule_act, CA_DATA, 5,
             "each item of 'pseudo_terms' must be a phrase");
    /* a rule naming a concept the lexicon lacks */
    load_one("version: '1'\nmodifiers:\n  negated:\n    before: [no]\n"
             "concepts:\n  other:\n    terms: [x]\n",
             rule_act, CA_DATA, 9, "must be one of other");
}

/* A term regex in two concepts is one regex item: 256 regexes, each in
 * two concepts, stay within the limit of 256 items. */
static void test_shared_regex_once(void **state)
{
    char lex[32768], *p = lex;
    int c, i;

    (void)state;
    p += sprintf(p, "version: '1'\nmodifiers:\n  negated:\n"
                    "    before: [no]\nconcepts:\n");
    for (c = 0; c < 2; c++) {
        p += sprintf(p, "  %s:\n    terms:\n", c ? "b" : "all");
        for (i = 0; i < 256; i++)
            p += sprintf(p, "      - {regex: '\\bw%d\\b'}\n", i);
    }
    load_one(lex, rule_act, CA_OK, 0, NULL);
}

static void test_unused(void **state)
{
    size_t n;

    (void)state;
    /* every concept of the fixture's lexicon is named by a rule or
     * included, and every modifier can block one of them */
    n = ruleset_lexicon_unused(rs, NULL, NULL);
    assert_int_equal(n, 0);
}

static void on_unused(void *ctx, const char *kind, const char *name,
                      const char *path, unsigned long line, unsigned long col)
{
    char *out = ctx;

    (void)path;
    (void)col;
    snprintf(out + strlen(out), 200 - strlen(out), "%s %s:%lu;", kind, name,
             line);
}

static void test_unused_reported(void **state)
{
    static const char lex[] = "version: '1'\n"        /* 1 */
                              "modifiers:\n"          /* 2 */
                              "  negated:\n"          /* 3 */
                              "    before: [no]\n"    /* 4 */
                              "  idle:\n"             /* 5 */
                              "    before: [later]\n" /* 6 */
                              "concepts:\n"           /* 7 */
                              "  all:\n"              /* 8 */
                              "    blocked_by: [negated]\n"
                              "    terms: [x]\n" /* 10 */
                              "  spare:\n"       /* 11 */
                              "    terms: [y]\n";
    const char *paths[1];
    struct ruleset *r = NULL;
    struct ca_error err = CA_ERROR_INIT;
    char got[200] = "";

    (void)state;
    tmpdir_write("u/lexicon.yaml", lex, strlen(lex));
    tmpdir_write("u/R.yaml", rule_act, strlen(rule_act));
    paths[0] = tmpdir_path("u");
    assert_int_equal(ruleset_load(paths, 1, NULL, &r, &err), CA_OK);
    assert_int_equal(ruleset_lexicon_unused(r, on_unused, got), 2);
    assert_string_equal(got, "concept spare:11;modifier idle:5;");
    ruleset_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_negated),
        cmocka_unit_test(test_intended_and_pending),
        cmocka_unit_test(test_planned),
        cmocka_unit_test(test_results),
        cmocka_unit_test(test_counterfactual_reported_purpose),
        cmocka_unit_test(test_pseudo_and_pairs),
        cmocka_unit_test(test_pseudo_terms),
        cmocka_unit_test(test_needs),
        cmocka_unit_test(test_included_blocked_by),
        cmocka_unit_test(test_typos),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_opening_and_author),
        cmocka_unit_test(test_bad_timestamp_is_error),
        cmocka_unit_test(test_ranks),
        cmocka_unit_test(test_rank_memo),
        cmocka_unit_test(test_retracted),
        cmocka_unit_test(test_supervisor_needs),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_shared_regex_once),
        cmocka_unit_test(test_unused),
        cmocka_unit_test(test_unused_reported),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
