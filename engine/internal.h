/* SPDX-License-Identifier: MIT */
/*
 * Private to engine/: the compiled form of a rule, the YAML document tree
 * the loader validates, and the evaluation core shared by engine_eval and
 * the inline-example check.  Not for use outside engine/.
 */
#ifndef CA_ENGINE_INTERNAL_H
#define CA_ENGINE_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/rules.h"
#include "ingest/rank.h"
#include "util/yamltree.h"

enum win_unit { WIN_NONE = 0, WIN_DAYS, WIN_WORKING_DAYS, WIN_MONTHS };
enum then_order { ORD_ANY = 0, ORD_BEFORE, ORD_AFTER };

struct fieldref {
    char *name;
    int cf;    /* canonical field of the rule's record type, or -1 */
    int named; /* cf_lookup(name), for record_get_looked_up */
};

struct pattern {
    pcre2_code *code;
    char *src; /* as compiled (for messages) */
};

/* ---- the context lexicon (engine/lexicon.c, engine/lexscan.c,
 *      engine/context.c) ---- */

/*
 * A shared lexicon (rules/lexicon.yaml), after ConText (Chapman et al.):
 * concepts are what rules look for (term lists); modifiers are classes of
 * context (negated, intended, pending, planned, counterfactual, reported,
 * empty form fields) decided by trigger phrases with a direction and a
 * scope.  A concept's match counts only when no modifier of a class that
 * blocks it has the match's anchor in scope.
 *
 * Phrases are matched token by token (engine/lexscan.c): every phrase of
 * the lexicon, whatever it is (a term, one side of a "things ... done"
 * pair, a trigger, a pseudo-trigger, a word that ends a clause), is found
 * in one pass over an entry through a trie of its tokens; `regex:` items
 * are PCRE2 patterns run only on entries holding one of the literals every
 * match of theirs contains.
 */
#define LEX_MAX_MODIFIERS 16
#define LEX_MAX_PATTERN (1024 * 1024) /* bytes of one compiled regex item */

/*
 * A set of concepts or of `regex:` items, by index: a bit set of a fixed
 * width, so that the scan of an entry keeps its own without allocating.
 * The hot loops over one go word by word and skip empty words, and those
 * over regex items stop at the lexicon's rx_words, so that a lexicon of
 * few items pays little for the width; a hit points at the lexicon's set
 * (a concept's members, a regex item's concepts) rather than copy it.
 */
#define LX_SET_WORDS 4
#define LX_SET_MAX (64 * LX_SET_WORDS) /* members are 0 .. LX_SET_MAX - 1 */
#define LEX_MAX_CONCEPTS LX_SET_MAX
#define LEX_MAX_REGEXES LX_SET_MAX

struct lx_set {
    uint64_t w[LX_SET_WORDS]; /* member i: bit i % 64 of w[i / 64] */
};

static inline void lx_set_add(struct lx_set *s, size_t i)
{
    s->w[i / 64] |= (uint64_t)1 << (i % 64);
}

static inline bool lx_set_has(const struct lx_set *s, size_t i)
{
    return s->w[i / 64] >> (i % 64) & 1;
}

/* *d |= *a */
static inline void lx_set_or(struct lx_set *d, const struct lx_set *a)
{
    size_t k;

    for (k = 0; k < LX_SET_WORDS; k++)
        d->w[k] |= a->w[k];
}

/* Whether a and b have a member in common. */
static inline bool lx_set_meets(const struct lx_set *a, const struct lx_set *b)
{
    uint64_t x = 0;
    size_t k;

    for (k = 0; k < LX_SET_WORDS; k++)
        x |= a->w[k] & b->w[k];
    return x != 0;
}

/*
 * The least member of s that is i or more, or LX_SET_MAX: the members in
 * order are
 *     for (x = lx_set_next(s, 0); x < LX_SET_MAX; x = lx_set_next(s, x + 1))
 * (for loading; a hot loop takes the words one by one).
 */
static inline size_t lx_set_next(const struct lx_set *s, size_t i)
{
    size_t k = i / 64;
    uint64_t w;

    if (k >= LX_SET_WORDS)
        return LX_SET_MAX;
    w = s->w[k] & (~(uint64_t)0 << (i % 64));
    while (!w) {
        if (++k == LX_SET_WORDS)
            return LX_SET_MAX;
        w = s->w[k];
    }
    return k * 64 + (size_t)__builtin_ctzll(w);
}

struct modifier {
    char *name;
    unsigned long line, col;     /* where it is defined */
    int before_scope;            /* words a "before" trigger reaches forward */
    int after_scope;             /* words an "after" trigger reaches back */
    bool sentence;               /* scopes end at a sentence, not a clause */
    struct pattern headings;     /* full-match of a section heading's label */
    struct pattern lists_except; /* search: a label that reports, whose list
                                  * is no plan (lists: true) */
    bool lists;                  /* a label in running text over a list
                              * numbered from 1 or a opens its section */
    bool used;                   /* some concept or rule can be blocked by it */
};

struct concept {
    char *name;
    unsigned long line, col;
    uint32_t blocked_by;      /* bit i: modifier i blocks it */
    bool own_blocked_by;      /* blocked_by written, not the default (all) */
    uint32_t retracted_by;    /* bit i: a later mention of this concept in
                            * scope of modifier i ("H2H not done") takes
                            * back every earlier one; 0: none */
    struct pattern needs;     /* needs: a term of it (or of a concept it
                               * includes) counts only when its sentence
                               * holds one of these words */
    struct pattern sup_needs; /* supervisor_needs: in an entry by a
                               * sergeant or above, a term counts only with
                               * one of these words in its sentence */
    bool retract_thing;       /* only a later mention of the same thing
                            * ("ANPR" by "ANPR", not by "PNC") */
    size_t *includes;         /* concepts whose terms this one takes */
    size_t nincludes;
    struct lx_set members; /* itself and every concept including it */
    struct lx_set below;   /* every concept it includes */
    struct lx_set regexes; /* the term regex items that count for it */
    bool used;             /* named by a rule or a used concept */
};

/* What a phrase is where it is written. */
enum lx_kind {
    LXK_TERM = 0, /* a term of concepts */
    LXK_THING,    /* the "things" side of pair idx */
    LXK_DONE,     /* the "done" side of pair idx */
    LXK_BEFORE,   /* triggers of modifier idx */
    LXK_AFTER,
    LXK_BOTH,
    LXK_PSEUDO,     /* looks like a trigger, is not */
    LXK_BREAK,      /* ends a clause */
    LXK_JOIN,       /* holds no clause end ("SILK (27)") */
    LXK_OPENING,    /* a term only where it opens a sentence, line or item */
    LXK_COURTESY,   /* may stand before an opening word ("please") */
    LXK_PSEUDO_TERM /* holds a term and is not one ("outcome 16 - suspect
                     * identified" quotes an outcome's definition) */
};

struct lx_use {
    uint8_t kind;    /* enum lx_kind */
    uint16_t idx;    /* pair or modifier; a term's (or opening word's)
                      * concept: it counts for that concept's members */
    uint32_t weight; /* triggers: length as written (the longest wins) */
};

/* A phrase: lower case, ’ as ', runs of spaces and hyphens as one ' '. */
struct lx_phrase {
    char *text;
    uint32_t len;
    struct lx_use *use;
    uint32_t nuse;
};

/*
 * The phrases as a trie of their tokens (lexscan_token), so that a scan
 * looks at a phrase only where the text holds its tokens.  From the root,
 * a token leads to node first[hash & (LX_FIRST_SLOTS - 1)]; further down,
 * to the node of the edge whose key mixes the node, the token's hash and
 * its length (with LX_GAP_BEFORE when blanks come before it).  Tokens
 * that share a slot or a key share a node.  A phrase ends at the node of
 * its last token, or earlier, at the last token before one a scan could
 * read otherwise (a gap byte, or a byte that is not ASCII): the trie only
 * proposes, the byte comparison decides.
 *
 * A scan reads a table or two per word of a log, so the trie is laid out
 * to touch few cache lines: a reference to a node (in first and edges)
 * says whether phrases end there and whether it has children, so that
 * most nodes are never read; a bitmap of the edges' keys turns away most
 * tokens that lead nowhere before the edge table is read; and the
 * phrases ending at a node are listed with their text, copied together in
 * one block in that order.
 */
#define LX_REF_PHR 0x80000000u  /* in a node reference: phrases end there */
#define LX_REF_KIDS 0x40000000u /* it has children */
#define LX_REF_NODE 0x3FFFFFFFu /* the node's index */
#define LX_EDGE_BITS 65536      /* bits of lexicon.edge_bits */

struct lx_edge {
    uint32_t key, to; /* to: a node reference; 0: an empty slot */
};

struct lx_node {
    uint32_t phr, nphr; /* the phrases ending here: node_phr[phr..+nphr),
                         * highest index first */
    bool kids;          /* some token leads on from it */
};

/* A phrase where the trie lists it: its index and its text, ptext[off,
 * off + len). */
struct lx_ptext {
    uint32_t phrase;
    uint32_t off, len;
};

/* A token of an entry's text, as lexscan_token reads it: [start, end),
 * its hash, and its length with LX_GAP_BEFORE when blanks come before
 * it (the trie's key). */
struct lx_tok {
    uint32_t start, end, hash, lengap;
};

struct lx_pair {
    uint16_t concept; /* it counts for this concept's members */
    int within;       /* at most within - 1 words between the two sides */
};

struct pf_starts;

/* A `regex:` item, a term or a trigger. */
struct lx_regex {
    struct pattern re;
    struct lx_use use;
    struct lx_set concepts; /* a term's: the members of the concepts
                             * that list it */
    uint32_t anchors;       /* named groups: the first one set is the anchor */
    struct pf_starts *starts; /* where its matches may start, or NULL (then
                               * compiled with PCRE2_USE_OFFSET_LIMIT) */
};

struct lexicon {
    char *path;
    char *version;
    struct modifier mods[LEX_MAX_MODIFIERS];
    size_t nmods;
    struct concept *concepts;
    size_t nconcepts;
    struct lx_phrase *phrases;
    size_t nphrases, phrases_alloc;
    size_t nwritten;    /* phrases as written; the rest are typo spellings */
    int typo_min;       /* words of this many letters get typo spellings; 0 */
    char **typo_except; /* sorted: spellings that are words of their own */
    size_t ntypo_except;
    /* while loading: an open-addressing index of phrases by their text */
    uint32_t *load_idx;
    size_t load_cap;
    uint32_t *first;       /* references to the trie's nodes one token down
                      * (LX_FIRST_SLOTS) */
    struct lx_edge *edges; /* the other edges, open addressing */
    uint32_t edge_mask;    /* slots - 1 */
    uint64_t *edge_bits;   /* bit key % LX_EDGE_BITS: an edge may have key */
    struct lx_node *nodes; /* node 0 is the root */
    size_t nnodes;
    struct lx_ptext *node_phr;
    uint16_t *phr_kinds; /* per phrase, bit 1 << kind of each of its uses */
    char *ptext;         /* the phrases' texts, in node_phr's order */
    uint64_t *starts;    /* bit hash % LX_STARTS_BITS: a phrase may start with
                       * a token of that hash */
    struct lx_pair *pairs;
    size_t npairs, pairs_alloc;
    struct lx_regex *regexes; /* at most LEX_MAX_REGEXES */
    size_t nregexes, regexes_alloc;
    size_t rx_words; /* the words of a set of regex items that may have
                      * members: (nregexes + 63) / 64 */
    struct prefilter *regex_pf;    /* member i: regexes[i] may match */
    struct lx_set regex_always;    /* regexes without literals: always run */
    struct prefilter *headings_pf; /* member i: mods[i]'s headings may
                                    * match (NULL: no modifier has them) */
    struct lx_set headings_always; /* headings without literals */
    bool has_pseudo_terms;         /* pseudo_terms: phrases that hide terms */
    struct lx_set with_needs;      /* the concepts with needs: */
    struct lx_set term_rx;         /* the regexes that are terms */
    struct lx_set trigger_rx;      /* the rest */
    struct lx_set retractable;     /* concepts with a retracted_by */
    struct lx_set retract_rx;      /* their term regex items */
    /* forms: "Label: value" lines; a value that is empty or a placeholder
     * puts the line in scope of modifier forms_mod; a label whose value
     * does not begin with an affirmation is in scope too */
    int forms_mod;                 /* -1: no forms */
    int lists_mod;                 /* the modifier with lists: true, -1: none */
    struct pattern placeholders;   /* anchored at a value's start */
    struct pattern affirmations;   /* anchored at a value's start */
    struct pattern affirmed_label; /* a label ending in an affirmation */
    /* the affirmations' last words (lower case, after their last blank or
     * dash), when every one written in ASCII ends in a word character and
     * none holds a character whose case folds to ASCII (K, long s): a
     * plain ASCII label that ends in none of them is no affirmed_label
     * (context_affirmed_label) */
    char **affirm_tails;
    size_t naffirm_tails;
    bool affirm_tails_ok;
    struct pattern item_done; /* a status that is an affirmation, on a line */
    /* forms.results: a field whose label is one of these (result_label,
     * anchored at the label's start) answers for the field on the line
     * above it: a trigger of a modifier in result_reach in its value
     * blocks that field's value too ("Action: DWP check / Result: form
     * drafted, to be sent") */
    struct pattern result_label;
    uint32_t result_reach;
    uint64_t serial; /* unique per loaded lexicon (1, 2, ...): keys the
                      * context memo of a scratch (engine/context.c) */
};

/* A term of some concepts found in an entry: the match and its anchor. */
struct lx_hit {
    uint32_t s, e, as, ae;
    uint32_t group; /* 0: a phrase or pair; 1 + x: regex item x */
    /* the concepts it counts for: a concept's members, or a regex
     * item's concepts */
    const struct lx_set *concepts;
};

/* A trigger, pseudo-trigger or clause-ending word found in an entry. */
struct lx_event {
    uint32_t s, e;
    uint8_t kind; /* LXK_BEFORE .. LXK_JOIN */
    uint16_t idx; /* modifier */
};

/* A candidate event with its written length, while the scan picks. */
struct lx_wcand {
    struct lx_event ev;
    uint32_t weight;
};

/*
 * The scan of entry i of the record being judged (engine/lexscan.c), kept
 * until the next context_begin.  lexscan_terms gives its term hits in
 * start order: every phrase and pair term, and the hits of those `regex:`
 * items among `need` (a concept's `regexes`, or NULL: none) and any run
 * before, so that the hits of a concept whose regex items are in need are
 * all there, in the order a scan of every item gives.  lexscan_events
 * gives its triggers, pseudo-triggers and clause-ending words
 * (leftmost-longest, not overlapping), worked out when first asked for.
 * Pointers stay valid until the next lexscan_* or context_scopes call.
 * Both return 0, or a negative PCRE2 error code (a match limit in a regex
 * item).
 */
int lexscan_terms(struct engine_scratch *s, const struct lexicon *lx, size_t i,
                  const struct lx_set *need, const struct lx_hit **hits,
                  size_t *nhits);
int lexscan_events(struct engine_scratch *s, const struct lexicon *lx, size_t i,
                   const struct lx_event **ev, size_t *nev);

/* What the scan of one entry holds (engine/lexscan.c). */
struct lx_scan {
    size_t hit_at, nhits; /* its term hits: hits[hit_at..+nhits) */
    size_t pc_at, npc;    /* its triggers found as phrases: pcand[...] */
    size_t pt_at, npt;    /* its pseudo-terms: pterms[2 * pt_at...] */
    size_t ev_at, nev;    /* its events, once worked out */
    bool scanned, has_may, has_events;
    int8_t ascii; /* the text is plain ASCII: 1, not: -1, not known: 0 */
};

/*
 * The regex items of the scan of one entry.  They are kept apart from
 * lx_scan, which context_begin clears for every entry of every record,
 * and written as they become known.
 */
struct lx_scan_rx {
    struct lx_set may;  /* those it may match (prefilter), once has_may */
    struct lx_set done; /* the terms among them run on it, once scanned */
};

/* The hash of p[0, n), ASCII letters in lower case (loading and scanning
 * share it). */
uint32_t lexscan_hash(const char *p, size_t n);
/*
 * The token of t[0, len) at i < len: a run of word characters (\w of PCRE2
 * without UCP), a right single quote (read as '), or one other byte.
 * Returns its end; *hash is its hash as lexscan_hash of its lower-case,
 * ’-as-' form, *nlen the length of that form.
 */
size_t lexscan_token(const char *t, size_t len, size_t i, uint32_t *hash,
                     uint32_t *nlen);
/* Build lx's trie of phrases (first, edges, nodes, node_phr, starts) once its
 * phrases are final: false when out of memory (lexicon_free frees what
 * was built). */
bool lexscan_index(struct lexicon *lx);
/*
 * Every phrase of lx in t[0, len), as the scan of an entry finds them: *n
 * triples (phrase, start, end) at *found, by start and at one start by
 * phrase, highest index first; valid until the next lexscan_* call.
 * false when out of memory.  (The scan's first step, for tests.)
 */
bool lexscan_phrases(struct engine_scratch *s, const struct lexicon *lx,
                     const char *t, size_t len, const uint32_t **found,
                     size_t *n);
#define LX_STARTS_BITS 32768      /* bits of lexicon.starts */
#define LX_FIRST_SLOTS 16384      /* slots of lexicon.first */
#define LX_GAP_BEFORE 0x80000000u /* in a trie key: blanks before the token */

struct ctx_memo; /* engine/context.c */

/* A modifier's reach in one entry's text. */
struct ctx_scope {
    uint32_t start, end;   /* bytes of the entry's text in scope */
    uint32_t tstart, tend; /* the trigger phrase (or section heading) */
    uint16_t mod;          /* index in lexicon.mods */
};

/*
 * Load a lexicon file (engine/lexicon.c).  Errors name file:line:col as
 * rule files do.  *out is NULL on failure.
 */
enum ca_status lexicon_load(const char *path, struct lexicon **out,
                            struct ca_error *err);
void lexicon_free(struct lexicon *lx);
/* Index of a concept or modifier by name, or -1. */
int lexicon_concept(const struct lexicon *lx, const char *name);
int lexicon_modifier(const struct lexicon *lx, const char *name);
/* Mark concept i used, with what it includes and the modifiers that can
 * block it (its blocked_by, or mask when mask is not 0). */
void lexicon_mark_used(struct lexicon *lx, size_t i, uint32_t mask);

/*
 * Context scopes (engine/context.c).  context_begin starts a record:
 * scopes are worked out per entry on first use and kept until the next
 * context_begin (false: out of memory).  context_scopes gives entry i's
 * scopes: 0, or a negative PCRE2 error code (a match limit) when they
 * could not be worked out.  context_blocker returns the first scope of a
 * modifier in mask that reaches into [as, ae), or NULL.  context_blocker_pair
 * does the same for a pair term whose done word [as, ae) is a label's and
 * whose thing is in the label's value [s, e) ("Trace enquiry: will do addr
 * chk"): a scope that reaches the done word, or that reaches into the value
 * beyond the scope's own trigger (a thing that is itself a trigger does
 * not block its own pair).
 */
bool context_begin(struct engine_scratch *s, const struct log_entry *e,
                   size_t n);
/* The share of the context memo's look-ups answered from it, for tests:
 * *asked and *found since the scratch was made. */
void context_memo_stats(const struct engine_scratch *s, size_t *asked,
                        size_t *found);
int context_scopes(struct engine_scratch *s, const struct lexicon *lx, size_t i,
                   const struct ctx_scope **sc, size_t *n);
const struct ctx_scope *context_blocker(const struct ctx_scope *sc, size_t n,
                                        uint32_t mask, size_t as, size_t ae);
const struct ctx_scope *context_blocker_pair(const struct ctx_scope *sc,
                                             size_t n, uint32_t mask, size_t as,
                                             size_t ae, size_t s, size_t e);

/* ---- compiled rules ---- */

struct entry_spec;

/* What a qualifying entry looks like, and when it must be dated. */
struct entry_spec {
    bool present;
    const char *key;   /* "entry", "if", "then", "applies_to.entry" */
    struct pattern re; /* regex and/or words; with concepts: all
                             * their terms (for the prefilter) */
    const struct concept **concepts; /* any of them qualifies */
    size_t nconcepts;
    uint32_t blocked_by; /* with has_blocked_by: overrides the concepts' */
    bool has_blocked_by;
    int min_rank;           /* enum rank_class the author must hold; 0: any */
    struct entry_spec *alt; /* `entry:` given as a list: the other items */
    size_t nalt;
    struct pattern exclude; /* entry-level veto */
    struct pattern negate;  /* a regex match inside one of these is void */
    struct pattern rank;    /* matched against the entry's rank */
    enum win_unit win;
    int win_n;
    struct fieldref from, to;        /* name NULL when not set */
    enum then_order order;           /* `then` only */
    struct pf_starts *re_starts;     /* where re's matches may start, or NULL
                                  * (spec_find_starts) */
    struct pf_starts *negate_starts; /* the same for negate */
    int pf_bit; /* this spec's bit in its type's prefilter, or -1 */
    int pf_exclude_bit, pf_negate_bit; /* the same for exclude and negate */
};

enum where_kind { WH_PATTERN, WH_DATES };

struct where_cond {
    int group; /* conditions of one group must all hold; any
                * group holding is enough */
    struct fieldref field;
    enum where_kind kind;
    struct pattern re; /* anchored full match (WH_PATTERN) */
    bool negated;      /* `not:` form */
    bool has_from, has_to;
    int64_t from_day, to_day; /* inclusive */
};

struct span_cond {
    bool present;
    struct fieldref start, end;
    enum win_unit unit; /* WIN_DAYS or WIN_MONTHS */
    int n;
};

struct rule {
    const struct lexicon *lex; /* the set's lexicon (borrowed), or NULL */
    char *path;
    char *id, *title, *message;
    unsigned long id_line, id_col; /* where the id is written */
    enum rule_category category;
    enum rule_level level;
    enum rule_status status;
    enum rule_check check;
    enum record_type type;
    bool unicode, case_sensitive;
    size_t index;

    struct where_cond *where;
    size_t nwhere;
    int nwhere_groups;
    struct span_cond span;
    struct entry_spec when;     /* applies_to.entry */
    struct entry_spec when_not; /* applies_to.no_entry */

    struct entry_spec entry; /* must_contain, must_not_contain, max_gap */
    struct entry_spec ifs;   /* if_then: if */
    struct entry_spec thens; /* if_then: then */

    struct fieldref start;       /* max_gap: the first date of... */
    struct fieldref *start_more; /* ...these that has one (start: [a, b]) */
    size_t nstart_more;
    struct fieldref *end;
    size_t nend;
    bool gap_hours; /* max_hours rather than max_days */
    int gap_n;

    char **refs;
    size_t nrefs;
    char **fields; /* declared + derived, unique */
    size_t nfields;
    struct fieldref *need; /* the same, resolved */
    size_t nneed;
};

struct prefilter;

struct ruleset {
    struct lexicon *lex; /* NULL when the rules use no concept */
    bool lex_given;      /* the lexicon came with the rules (lint checks it) */
    struct rule **rules; /* sorted by id */
    size_t n;
    size_t *by_type[RT__COUNT];
    size_t nby_type[RT__COUNT];
    struct prefilter *pf[RT__COUNT]; /* NULL: nothing to prefilter */
    bool pf_lexicon[RT__COUNT];      /* pf[t] also finds the lexicon's regex
                                 * items (prefilter_scan_all's rx) */
};

/*
 * Whether lx->affirmed_label matches t[a, b): 1, 0, or a PCRE2 error.  A
 * plain ASCII label whose last word (blanks at its end aside) is none of
 * lx->affirm_tails cannot match, and is answered without PCRE2.
 */
int context_affirmed_label(struct engine_scratch *s, const struct lexicon *lx,
                           const char *t, size_t a, size_t b);

/* ---- literal prefilter (engine/prefilter.c) ---- */

/*
 * Literals one of which every match of pattern contains (lower case, each
 * at least 2 bytes), for the prefilter.  Returns 0 with *out (n malloc'd
 * strings in a malloc'd array, caller frees), or -1 when the pattern gives
 * no usable literals (or uses syntax the analysis does not understand).
 */
int prefilter_literals(const char *pattern, size_t len, char ***out, size_t *n);
/*
 * Strings (lower case, plain ASCII, none starting with another) one of
 * which every match of pattern starts with, compared in ASCII lower case:
 * 0 with *out as prefilter_literals gives it, or -1 when the analysis
 * cannot tell (a match may start anywhere, or with a byte >= 0x80, or the
 * pattern uses \K or syntax the analysis does not understand).
 */
int prefilter_starts(const char *pattern, size_t len, char ***out, size_t *n);
/* Where the matches of a pattern that begins at a clause's start may
 * start (prefilter_clause_starts). */
struct pf_clause {
    bool after[256]; /* at 0, or after a byte b with after[b] */
    /* With ntail > 0 (one branch of that kind, "head[^S]*?X"): a match of
     * it holds one of X's starts tail[] at or before the first byte b of
     * S (stop[b]) from its own start. */
    bool stop[256];
    char **tail;
    size_t ntail;
};
/*
 * For a pattern whose top-level branches each either begin "(?:^|(?<=[C]))"
 * (C a few bytes other than letters and digits: a clause's start) or have
 * starts: 0 with cl filled and *out the other branches' starts as
 * prefilter_starts gives them (none when there are no others); -1 when
 * the pattern is not of that kind.  Free cl with pf_clause_release.
 */
int prefilter_clause_starts(const char *pattern, size_t len, char ***out,
                            size_t *n, struct pf_clause *cl);
void pf_clause_release(struct pf_clause *cl);
/* Where the matches of a pattern that begins with lookbehinds may start
 * (prefilter_behind_starts): at p when for one of ctx[0, n) the k bytes
 * before p are in set[0], ..., set[k - 1] in turn, or at 0 when at0. */
#define PF_BEHIND_MAX 4 /* characters of a lookbehind */
#define PF_BEHIND_CTX 4 /* lookbehinds */
struct pf_behind_ctx {
    unsigned k;
    bool at0;
    bool set[PF_BEHIND_MAX][256];
};
struct pf_behind {
    size_t n;
    struct pf_behind_ctx ctx[PF_BEHIND_CTX];
};
/*
 * For a pattern that begins with a lookbehind, or a group of lookbehinds
 * as alternatives ("(?:(?<![^\n])|(?<=[.!?;:]\s))..."), none quantified
 * and no other top-level branch: 0 with *out the places its matches may
 * start on plain ASCII text (a superset), -1 when the pattern is not of
 * that kind.  Each lookbehind is "(?<![^C])" (at 0 or after a byte of C)
 * or "(?<=X)" with X up to PF_BEHIND_MAX characters, each a class of
 * bytes other than letters and digits, \s, \n, \t, \r or punctuation.
 */
int prefilter_behind_starts(const char *pattern, size_t len,
                            struct pf_behind *out);
/* Where matches may start, for pf_starts_next; built from
 * prefilter_starts' strings (which it copies): NULL when out of memory. */
struct pf_starts;
struct pf_starts *pf_starts_new(char *const *lits, size_t n);
/* The same for prefilter_clause_starts' answer (n may be 0): matches may
 * also start at 0 or after a byte of cl->after, where cl->tail says. */
struct pf_starts *pf_starts_new_after(char *const *lits, size_t n,
                                      const struct pf_clause *cl);
/* Whether trying a pattern only where strings lits[0, n) start can save
 * PCRE2 work: when they start with two bytes or more (ASCII case aside).
 * With one, PCRE2's JIT finds the places itself with a vector search. */
bool pf_starts_useful(char *const *lits, size_t n);
/* The same for prefilter_behind_starts' answer: NULL when out of memory. */
struct pf_starts *pf_starts_new_behind(const struct pf_behind *bh);
void pf_starts_free(struct pf_starts *ps);
/*
 * The first place at or after from where plain ASCII text t[0, len) holds
 * one of ps's strings (ASCII lower case compared), or PF_NO_START.  A match
 * of the pattern at any place before it is impossible; so an unanchored
 * search may begin there, and on plain ASCII text the matches that begin
 * at the places pf_starts_next gives, tried one at a time, are all there
 * are.
 */
#define PF_NO_START ((size_t)-1)
size_t pf_starts_next(const struct pf_starts *ps, const char *t, size_t len,
                      size_t from);
/* Build rs->pf[] and every spec's pf_bit, pf_exclude_bit and pf_negate_bit
 * (memory trouble: no prefilter). */
void prefilter_build(struct ruleset *rs);
/* No prefilter bits for sp and its alternatives. */
void prefilter_spec_none(struct entry_spec *sp);
void prefilter_free(struct prefilter *pf);
/*
 * A prefilter over patterns srcs[0..n) (n <= LX_SET_MAX): member i of a
 * scan (prefilter_scan_set) stands for srcs[i]; a pattern that yields no
 * literals is in *always.  NULL when out of memory.
 */
struct prefilter *prefilter_new(const char *const *srcs, size_t n,
                                struct lx_set *always);
/* Of a prefilter_new prefilter: the patterns text may match (all of them
 * when it is not plain ASCII), those in always aside. */
void prefilter_scan_set(const struct prefilter *pf, const char *text,
                        size_t len, struct lx_set *out);
/* Of a record type's prefilter: bit i set when the text holds a literal of
 * the spec with pf_bit i (every bit when it is not plain ASCII). */
uint64_t prefilter_scan(const struct prefilter *pf, const char *text,
                        size_t len);
/*
 * The same for every word of a record type's prefilter, in one pass: *rules
 * as prefilter_scan, and, when the rule set's pf_lexicon says so, *rx the
 * lexicon's regex items that may match (as a scan of the lexicon's
 * regex_pf, with regex_always, gives).  The rules' patterns have a word of
 * bits: a spec past its 64 gets none (pf_bit -1) and is simply not
 * filtered.
 */
void prefilter_scan_all(const struct prefilter *pf, const char *text,
                        size_t len, uint64_t *rules, struct lx_set *rx);

/* ---- evaluation core (engine/eval.c) ---- */

/* A day as YYYY-MM-DD; a time as YYYY-MM-DD HH:MM, or its day alone
 * without has_time (findings' entry_at, messages). */
void eval_fmt_day(int64_t day, char out[16]);
void eval_fmt_time(int64_t secs, bool has_time, char out[24]);

struct engine_scratch {
    struct engine_limits lim;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_match_context *mctx_upto; /* mctx, with an offset limit set by
                                     * its user (negate patterns) */
    pcre2_jit_stack *jit;
    struct log_entries le;
    int64_t *keys; /* sort space, 2 per entry */
    size_t keys_alloc;
    unsigned char *flags; /* per-entry qualification marks */
    size_t *pos;          /* per entry, 2 per entry for if_then: where the match
                  * that qualifies it starts (flags say whether it does) */
    size_t flags_alloc;
    uint64_t *pf_mask;      /* per entry of the current record */
    struct lx_set *rx_mask; /* per entry: the lexicon's regex items it may
                             * match */
    size_t pf_alloc;
    bool pf_on; /* pf_mask is valid for the entries being judged */
    bool rx_on; /* rx_mask is, for the entries of context_begin */
    /* context scopes of the current record's entries (engine/context.c):
     * ctx_at[i] is 1 + the index of entry i's first scope in scopes, 0
     * while not worked out; ctx_n[i] how many */
    struct ctx_scope *scopes;
    size_t nscopes, scopes_alloc;
    size_t *ctx_at, *ctx_n;
    size_t ctx_alloc;
    const struct log_entry *ctx_entries; /* the entries ctx_at is for */
    /* lexicon scans of the current record's entries (engine/lexscan.c):
     * scans[i] says what is known of entry i and where it is kept */
    struct lx_scan *scans;
    struct lx_scan_rx *scan_rx; /* scans[i]'s regex items: scan_rx[i] */
    struct lx_hit *hits;
    size_t nhits, hits_alloc;
    struct lx_event *events;
    size_t nevents, events_alloc;
    struct lx_wcand *pcand; /* triggers found as phrases, per entry */
    size_t npcand, pcand_alloc;
    uint32_t *pterms; /* pseudo-terms found, per entry: start, end */
    size_t npterms, pterms_alloc;
    struct lx_wcand *cand; /* candidate events of one entry */
    size_t cand_alloc;
    void *sort_tmp; /* room for stable sorts */
    size_t sort_tmp_alloc;
    uint32_t *found; /* phrase matches of one entry: phrase, start, end */
    size_t nfound, found_alloc;
    struct lx_ptext *maybe; /* phrases the trie proposes at one place */
    size_t maybe_alloc;
    struct lx_tok *toks; /* the tokens of one entry, for the phrase scan */
    size_t toks_alloc;
    uint32_t *dones; /* done-word matches of one entry: pair, start, end */
    size_t ndones, dones_alloc;
    uint32_t *pair_first; /* per pair: first of its dones (+1), 0: none */
    size_t pair_alloc;
    uint32_t *court; /* courtesy words of one entry: start, end */
    size_t ncourt, court_alloc;
    struct rank_memo ranks;     /* the ranks of entries read lately */
    struct ctx_memo *cmemo;     /* labels and form values judged lately
                                 * (engine/context.c), allocated on use */
    pcre2_match_data *md_terms; /* with room for anchors */
    uint32_t md_terms_pairs;
    char blocked[300]; /* why the nearest match was blocked */
    char counted[300]; /* what counted, for a pass */
    char excerpt[700];
    char msg[1024];
    char logerr[512]; /* why the current log cannot be judged */
};

/*
 * Evaluate one rule.  r NULL means example mode: the log alone is judged,
 * record fields, where and field-based windows are ignored, and entries
 * without timestamps are ordered by their position.  log_problem, when
 * not NULL, says why the log cannot be judged (invalid UTF-8, too many
 * entries): rules that read the log then give `error`.  Returns true when
 * the rule applies (v filled), false when it does not.
 */
bool eval_rule(const struct rule *ru, const struct record *r,
               const struct log_entry *e, size_t ne, const char *log_problem,
               const struct engine_params *p, struct engine_scratch *s,
               struct engine_verdict *v);

/* ---- loader toolkit (engine/loadkit.c), shared by engine/load.c,
 * engine/spec.c, engine/pattern.c and engine/lexicon.c ---- */

/* The longest window, gap or span a rule may give, in days. */
#define LOAD_MAX_WINDOW 3660

struct ld {
    struct ysrc *src;
    const char *path;
    struct ca_error *err;
    struct rule *ru; /* NULL while loading a lexicon */
    struct engine_scratch *s;
    struct lexicon *lex;   /* the concepts and modifiers rules may name */
    bool lex_failed;       /* a lexicon was found but did not load */
    const char *where_key; /* "applies_to.where", or a frame's key */
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
enum ca_status
lerr(struct ld *ld, const struct ynode *n, const char *fmt, ...);
enum ca_status oom(struct ld *ld);
const struct ynode *map_get(const struct ynode *m, const char *key);
enum ca_status check_keys(struct ld *ld, const struct ynode *m,
                          const char *const *allowed, size_t n,
                          const char *where);
/* A growable string for building patterns. */
struct sb {
    char *p;
    size_t n, cap;
    bool oom;
};

void sb_put(struct sb *b, const char *s, size_t len);
void sb_puts(struct sb *b, const char *s);
/* Append the words pattern of the scalars of list (phrases) to b. */
/* Whether the word w[0, n) is listed in typos.except (engine/lexicon.c). */
bool lexicon_typo_excepted(const struct lexicon *lx, const char *w, size_t n);
enum ca_status put_words(struct ld *ld, const struct ynode *list,
                         const char *key, struct sb *b);
/*
 * List bullets, one definition for every reader of list items (the scopes
 * and forms of engine/context.c, the openings of engine/lexscan.c): "-",
 * "*", ">" and "\u2022" (a bullet point, three bytes in UTF-8).
 * bullet_at: the length in bytes of the bullet that starts at t[i] (t of
 * len bytes), or 0; bullet_before: of the bullet that ends at t[p], or 0.
 */
static inline size_t bullet_at(const char *t, size_t len, size_t i)
{
    if (i >= len)
        return 0;
    if (t[i] == '-' || t[i] == '*' || t[i] == '>')
        return 1;
    return i + 3 <= len && memcmp(t + i, "\xe2\x80\xa2", 3) == 0 ? 3 : 0;
}

static inline size_t bullet_before(const char *t, size_t p)
{
    if (p >= 1 && (t[p - 1] == '-' || t[p - 1] == '*' || t[p - 1] == '>'))
        return 1;
    return p >= 3 && memcmp(t + p - 3, "\xe2\x80\xa2", 3) == 0 ? 3 : 0;
}

/* Whether t[0, len) is plain ASCII (no byte >= 0x80), eight bytes at a
 * time. */
static inline bool text_plain_ascii(const char *t, size_t len)
{
    uint64_t acc = 0, w;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        memcpy(&w, t + i, 8);
        acc |= w;
    }
    for (; i < len; i++)
        acc |= (unsigned char)t[i];
    return !(acc & 0x8080808080808080ull);
}

/*
 * pcre2_match of re on t[0, len) from start, t already known to be valid
 * UTF-8 (checked once per record, or plain ASCII): by the JIT's own entry
 * point, else by the interpreter told so (PCRE2_NO_UTF_CHECK); with match
 * data md and match context mctx (its offset limit, if any).  PCRE2's
 * return code.  Every match the engine makes at a place other than 0
 * (a start place of pf_starts_next above all) must go through here, never
 * through a pcre2_match that checks the UTF-8 itself: that check covers
 * only the text from start back as far as the longest lookbehind reaches,
 * and PCRE2 10.42's interpreter then reads that place as the start of the
 * text when a lookbehind holds \b or \B, one character further back
 * ((?<!\bhe\s)visited at "She visited" becomes no match).  Engine/pattern.c.
 */
int engine_match_valid(const pcre2_code *re, const char *t, size_t len,
                       size_t start, pcre2_match_data *md,
                       pcre2_match_context *mctx);
/* pcre2_match of re on t[0, len), text already checked as UTF-8, with
 * s's match data (engine/context.c). */
int engine_text_match(struct engine_scratch *s, const pcre2_code *re,
                      const char *t, size_t len);

/* engine/lexforms.c: lists:, needs:, supervisor_needs: and forms: */
enum ca_status lexicon_get_lists(struct ld *ld, struct lexicon *lx,
                                 const struct ynode *name,
                                 const struct ynode *m, size_t idx);
enum ca_status lexicon_get_needs(struct ld *ld, const struct lexicon *lx,
                                 const struct ynode *v, struct concept *c,
                                 bool supervisor);
/* Modifier names (v, a sequence, written as key: a `blocked_by:` or
 * `forms.results.reach` list) as a mask of their indices in lx. */
enum ca_status lexicon_modifier_mask(struct ld *ld, const struct lexicon *lx,
                                     const struct ynode *v, const char *key,
                                     uint32_t *mask);
enum ca_status lexicon_get_forms(struct ld *ld, struct lexicon *lx,
                                 const struct ynode *n);
enum ca_status want_kind(struct ld *ld, const struct ynode *n,
                         enum ynode_kind kind, const char *key);
enum ca_status get_int(struct ld *ld, const struct ynode *n, const char *key,
                       long lo, long hi, int *out);
enum ca_status get_enum(struct ld *ld, const struct ynode *n, const char *key,
                        const char *const *names, size_t nn, int *out);
enum ca_status get_string(struct ld *ld, const struct ynode *n, const char *key,
                          char **out);
enum ca_status get_bool(struct ld *ld, const struct ynode *n, const char *key,
                        bool *out);
/* The index of s in names[0, n), or -1. */
int name_index(const char *const *names, size_t n, const char *s);
/* Add name to ld->ru's fields unless it is there already. */
enum ca_status add_field(struct ld *ld, const char *name);
/* A list v of column names (key names it in messages), each added. */
enum ca_status add_fields(struct ld *ld, const struct ynode *v,
                          const char *key);
/* A field reference of ld->ru's record type, or a column declared in
 * `fields:`; date: it must be a date field.  The field is added. */
enum ca_status get_field(struct ld *ld, const struct ynode *n, const char *key,
                         bool date, struct fieldref *out);
/* Once every field is known: "log" when an entry is read, and ru->need. */
enum ca_status finish_fields(struct ld *ld);
/* The words/phrases pattern of docs/rule-format.md ("words:"). */
long words_pattern(const char *const *words, size_t n, bool unicode, char *out,
                   size_t size);
enum ca_status compile_at(struct ld *ld, const struct ynode *node,
                          bool from_node, const char *key, const char *pat,
                          size_t len, uint32_t extra, struct pattern *out);
enum ca_status pattern_style(struct ld *ld, const struct ynode *n,
                             const char *key);
/* A pattern key (engine/pattern.c): compiled with extra options;
 * may_be_empty: an empty pattern, or one matching empty text, is allowed. */
enum ca_status get_pattern(struct ld *ld, const struct ynode *n,
                           const char *key, uint32_t extra, bool may_be_empty,
                           struct pattern *out);
/* A `words:` list as one pattern, joined to regex_node's when not NULL. */
enum ca_status get_words(struct ld *ld, const struct ynode *n, const char *key,
                         const struct ynode *regex_node, struct pattern *out);
void pattern_release(struct pattern *p);
/* Freeing (engine/rules.c); each leaves its argument empty. */
void fieldref_release(struct fieldref *f);
void spec_release(struct entry_spec *e);
/*
 * Where the matches of e's regex (and its alternatives') may start
 * (e->re_starts, prefilter_starts), the regex compiled again with
 * PCRE2_USE_OFFSET_LIMIT to be tried there alone; left as it is when the
 * analysis cannot tell, or found already.
 */
void spec_find_starts(struct entry_spec *e);
/* What a rule and a record condition share: where, span, applies_to's
 * entry, the fields and ru->need. */
void rule_conditions_release(struct rule *r);
void rule_free(struct rule *r);

/* ---- entry specs and applies_to (engine/spec.c) ---- */

enum spec_kind {
    SK_ENTRY, /* must_contain / must_not_contain: from, to, within_* */
    SK_GAP,   /* max_gap: patterns only */
    SK_IF,    /* if_then: if, patterns only */
    SK_THEN,  /* if_then: then: order, within_* */
    SK_WHEN   /* applies_to.entry: patterns only */
};

/* One entry spec n (a mapping) of kind into e; key names it in messages
 * and must outlive e. */
enum ca_status get_spec(struct ld *ld, const struct ynode *n, const char *key,
                        enum spec_kind kind, struct entry_spec *e);
/* `entry:` as one spec or a list of 1 to 8 alternatives. */
enum ca_status get_entry(struct ld *ld, const struct ynode *n,
                         enum spec_kind kind, struct entry_spec *e);
/* `applies_to:` in two passes: its keys and type first, then (once the
 * rule's fields are declared) where, span, entry and no_entry. */
enum ca_status get_applies(struct ld *ld, const struct ynode *n);
enum ca_status get_applies_conditions(struct ld *ld, const struct ynode *n);

/* ---- record conditions (engine/condition.c) ---- */

/* The YAML nodes of one condition and the keys that name them in
 * messages (each may be NULL when absent; keys are static strings). */
struct load_condition_nodes {
    const struct ynode *fields, *where, *span, *entry, *no_entry;
    const char *fields_key, *where_key, *entry_key, *no_entry_key;
};

/*
 * Compile a condition with the rule loader's own code (engine/load.c):
 * where into ru->where (as applies_to.where), span into ru->span (as
 * applies_to.span), entry into ru->when (as applies_to.entry), no_entry
 * into *no_entry; ru->type is t, ru->fields the fields it reads; specs
 * may name the concepts of lex (NULL: none).  CA_DATA naming file:line:col; on failure the
 * caller still releases with load_condition_release.
 */
enum ca_status load_condition(struct ysrc *src, enum record_type t,
                              struct lexicon *lex,
                              const struct load_condition_nodes *n,
                              struct rule *ru, struct entry_spec *no_entry,
                              struct ca_error *err);
void load_condition_release(struct rule *ru, struct entry_spec *no_entry);

/*
 * Whether r meets the condition (engine/eval.c): every field it reads is
 * present, ru's where holds, an entry qualifies under ru->when (when
 * present) and none under no_entry (when present), and ru's span, when
 * present, is long enough.  1 yes, 0 no, -1 it
 * cannot be judged (a field missing, a log problem, a match limit):
 * s->msg says why.
 */
int eval_condition(const struct rule *ru, const struct entry_spec *no_entry,
                   const struct record *r, const struct log_entry *e, size_t ne,
                   const char *log_problem, struct engine_scratch *s);

#endif
