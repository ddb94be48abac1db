#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Reference for the `check` benchmark: what an analyst would otherwise write.

A plain Python csv + re script that applies the same rule patterns to the
same export, doing the same kind of work per record as `caseaudit check`:
it reads every row, keeps the records a rule's `applies_to.where` selects
(whole-value matches and `not:`; date ranges are not evaluated), splits the
log into dated entries with the default entry-header regex and, for every
rule of the record type, looks for an entry whose text matches a rule
pattern (`regex` or `words`), not vetoed by `exclude`, not overlapped by a
`negate` match, and of the right `rank`.  It writes one row per record and
rule (id, rule_id, entries found) so that its work cannot be optimised
away.  It is not a second implementation of caseaudit's verdicts: there are
no date windows, orders or gaps.

Rules that name `concepts` get the concept and context work too, in the
plain way an analyst would write it with `re` (ConText as published):
the lexicon (rules/lexicon.yaml) is loaded once; every phrase becomes a
pattern (with the misspellings of its long words of the `typos:` section),
each concept's terms one alternation per kind (phrases, `regex:` items,
`things` ... `done` pairs at most `within` words apart, `opening` words at
the start of a sentence) with the concepts it includes; in an entry the
triggers of the modifiers, the pseudo-triggers and the clause-ending words
are found by one alternation (longest phrases first), each trigger's scope
runs forward `scope` or back `after_scope` words up to the end of the
clause (or sentence), and a concept's hit counts unless a modifier of its
`blocked_by` has its anchor (the `done` word or group) in scope and no
pseudo-term (`pseudo_terms`) holds it.  Headings, forms, `needs`,
`supervisor_needs` and the rules' `author` are not evaluated.

Usage: bench/reference_check.py RULES_DIR EXPORT.csv [TYPE] > out.csv
(TYPE defaults to crime; needs python3-yaml.)
"""
import csv
import os
import re
import sys

import yaml

HEADER = re.compile(
    r"^(?P<at>\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{2}/\d{2}/\d{4}(?: \d{2}:\d{2}(?::\d{2})?)?)\s+"
    r"(?:(?P<rank>PCSO|PC|DC|PS|DS|SPS|Sgt|DSgt|Insp|SI|DI|CI|DCI|Supt|DSupt|CSupt|DCS|ACC|DCC|CC|Staff)\s+"
    r"(?P<author>[^:\n]{0,60}?)\s*:\s*)?",
    re.I,
)
ID_FIELD = {"crime": "crime_ref", "wanted": "wanted_ref", "bail": "bail_ref",
            "incident": "incident_ref"}
NEGATE_BACK = 256  # negate matches are looked for from this far back


def words_pattern(words):
    """docs/rule-format.md: literal words, spaces/hyphens match runs of
    blanks, hyphens or line breaks, apostrophes either quote, word
    boundaries at letters and digits."""
    alts = []
    for w in words:
        out = ""
        for ch in w:
            if ch in " -":
                if not out.endswith(r"[\s\-]+"):
                    out += r"[\s\-]+"
            elif ch in "'’":
                out += "['’]"
            else:
                out += re.escape(ch)
        if w[:1].isalnum():
            out = r"\b" + out
        if w[-1:].isalnum():
            out += r"\b"
        alts.append(out)
    return "(?:" + "|".join(alts) + ")"


# ---- concepts and context (rules/lexicon.yaml) ----------------------------

TOKEN = re.compile(r"\w+|[^\s\w-]")


class Tokens(list):
    """The words and marks of a text, lower case, with their places."""

    def __init__(self, text):
        super().__init__((m.group().lower().replace("’", "'"), m.start(),
                          m.end()) for m in TOKEN.finditer(text))
        self.words = [t for t, _, _ in self]


def tokens(text):
    return Tokens(text)


class PhraseSet:
    """Phrases looked up by their tokens, as an analyst would with a dict:
    first token -> the phrases (token tuples) that start with it."""

    def __init__(self):
        self.by_first = {}

    def add(self, words, value):
        toks = tuple(t for t, _, _ in tokens(words))
        if toks:
            self.by_first.setdefault(toks[0], []).append((toks, value))

    def finditer(self, toks):
        words = toks.words
        get = self.by_first.get
        for i, t in enumerate(words):
            cands = get(t)
            if not cands:
                continue
            for ph, value in cands:
                n = len(ph)
                if n == 1 or tuple(words[i:i + n]) == ph:
                    yield value, toks[i][1], toks[i + n - 1][2]


CLAUSE_END = re.compile(r"[.;!?()\n]|,|\s-\s|:")
SENTENCE_END = re.compile(r"[.;!?()\n]")
WORD = re.compile(r"[\w'’/-]+")


def pcre_to_py(rx, keep_names=True):
    """A lexicon regex (PCRE2) in Python's dialect."""
    rx = re.sub(r"\(\?<(\w+)>", r"(?P<\1>" if keep_names else "(?:", rx)
    if rx.startswith("(?-i)"):
        rx = "(?-i:%s)" % rx[5:]
    return rx


def typo_forms(word, minlen, exceptions):
    """Misspellings the lexicon accepts: two neighbouring letters swapped
    or one left out, never the first letter, nor the last left out."""
    out = set()
    if len(word) < minlen or not word.isalpha():
        return out
    for i in range(1, len(word) - 1):
        out.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])
        out.add(word[:i] + word[i + 1:])
    out.discard(word)
    return {w for w in out if w.lower() not in exceptions}


class WordsLoader(yaml.SafeLoader):
    """'no', 'yes', 'on', 'off' are words of the lexicon (a negation, an
    affirmation), not YAML 1.1 booleans: read as caseaudit reads them."""


WordsLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class Lexicon:
    def __init__(self, path):
        with open(path, encoding="utf-8") as fh:
            lx = yaml.load(fh, Loader=WordsLoader)
        ty = lx.get("typos") or {}
        self.minlen = ty.get("min_length", 6)
        self.exceptions = {str(w).lower() for w in ty.get("except") or []}
        self.flags = re.I | re.ASCII
        self.mods = {}
        self.ev_phrases = PhraseSet()  # value: (kind, modifier)
        self.ev_regexes = []           # (regex, kind, modifier)
        for name, m in (lx.get("modifiers") or {}).items():
            self.mods[name] = (m.get("scope", 6), m.get("after_scope", 4),
                               m.get("scope_ends", "clause"))
            for kind in ("before", "after", "both"):
                for item in m.get(kind) or []:
                    self.add_event(item, kind, name)
        for item in lx.get("pseudo") or []:
            self.add_event(item, "pseudo", None)
        for item in lx.get("breaks") or []:
            self.add_event(item, "break", None)
        self.pseudo_terms = self.phrase_set(lx.get("pseudo_terms") or [])
        raw = lx.get("concepts") or {}
        self.terms = PhraseSet()  # value: concept name
        self.concepts = {n: self.concept(n, c) for n, c in raw.items()}
        self.includes = {n: list(c.get("include") or []) for n, c in raw.items()}
        self.blocked = {n: set(c.get("blocked_by") or []) for n, c in raw.items()}
        self.cache = {}  # entry text -> [tokens, terms, scopes], per record

    def variants(self, w):
        """w and its misspellings (each long word of it misspelt)."""
        parts = str(w).split(" ")
        out = [str(w)]
        for i, part in enumerate(parts):
            for t in sorted(typo_forms(part, self.minlen, self.exceptions)):
                out.append(" ".join(parts[:i] + [t] + parts[i + 1:]))
        return out

    def add_event(self, item, kind, mod):
        if isinstance(item, dict) and "regex" in item:
            self.ev_regexes.append(
                (re.compile(pcre_to_py(item["regex"]), self.flags), kind, mod))
        else:
            for v in self.variants(item):
                self.ev_phrases.add(v, (kind, mod))

    def phrase_set(self, words):
        ps = PhraseSet()
        for w in words:
            for v in self.variants(w):
                ps.add(v, True)
        return ps

    def concept(self, name, c):
        regexes, pairs, openings = [], [], []
        for t in c.get("terms") or []:
            if isinstance(t, dict) and "regex" in t:
                regexes.append(re.compile(pcre_to_py(t["regex"]), self.flags))
            elif isinstance(t, dict) and "things" in t:
                pairs.append((self.phrase_set(t["things"]),
                              self.phrase_set(t["done"]), t.get("within", 3)))
            elif isinstance(t, dict) and "opening" in t:
                openings.append(self.phrase_set(t["opening"]))
            else:
                for v in self.variants(t):
                    self.terms.add(v, name)
        return regexes, pairs, openings

    def hits(self, name, text, toks, terms, seen):
        """(start, end) of the anchors of the terms of concept name."""
        if name in seen or name not in self.concepts:
            return []
        seen.add(name)
        regexes, pairs, openings = self.concepts[name]
        out = list(terms.get(name, ()))
        for rx in regexes:
            for m in rx.finditer(text):
                out.append(m.span("done") if "done" in rx.groupindex and
                           m.group("done") is not None else m.span())
        for things, done, within in pairs:
            tm = [(a, b) for _, a, b in things.finditer(toks)]
            if not tm:
                continue
            for _, da, db in done.finditer(toks):
                for a, b in tm:
                    lo, hi = (b, da) if a < da else (db, a)
                    gap = text[lo:hi] if lo <= hi else ""
                    if len(WORD.findall(gap)) <= within and \
                            not CLAUSE_END.search(gap):
                        out.append((da, db))
                        break
        for ps in openings:
            for _, a, b in ps.finditer(toks):
                before = text[:a].rstrip()
                if not before or before[-1] in ".;!?:\n":
                    out.append((a, b))
        for inc in self.includes.get(name, []):
            out += self.hits(inc, text, toks, terms, seen)
        return out

    def scopes(self, text, toks):
        """[(modifier, start, end)] of the triggers in text: leftmost, and
        at one place the longest, of triggers, pseudo-triggers and
        clause-ending words."""
        evs = [(a, b, kind, mod) for (kind, mod), a, b in
               self.ev_phrases.finditer(toks)]
        for rx, kind, mod in self.ev_regexes:
            evs += [(m.start(), m.end(), kind, mod) for m in rx.finditer(text)
                    if m.end() > m.start()]
        evs.sort(key=lambda e: (e[0], e[0] - e[1]))
        out = []
        reach = 0
        for a, b, kind, mod in evs:
            if a < reach:
                continue
            reach = b
            if mod is None:
                continue  # a pseudo-trigger or a clause-ending word
            scope, after, ends = self.mods[mod]
            stop = SENTENCE_END if ends == "sentence" else CLAUSE_END
            lo, hi = a, b
            if kind in ("before", "both"):
                e = stop.search(text, b)
                limit = e.start() if e else len(text)
                words = WORD.findall(text, b, limit)[:scope]
                if words:
                    hi = text.index(words[-1], b) + len(words[-1])
            if kind in ("after", "both"):
                cut = 0
                for e in stop.finditer(text, 0, a):
                    cut = e.end()
                words = list(WORD.finditer(text, cut, a))[-after:] \
                    if after else []
                lo = words[0].start() if words else a
            out.append((mod, lo, hi))
        return out

    def entry(self, text):
        """The tokens, phrase terms, scopes and concept hits of an entry,
        worked out once for all the rules of a record."""
        got = self.cache.get(text)
        if got is None:
            toks = tokens(text)
            terms = {}
            for name, a, b in self.terms.finditer(toks):
                terms.setdefault(name, []).append((a, b))
            hide = [(a, b) for _, a, b in self.pseudo_terms.finditer(toks)]
            got = self.cache[text] = [toks, terms, None, {}, hide]
        return got

    def matches(self, names, text):
        """Whether some concept of names has a hit that no modifier of its
        blocked_by has in scope."""
        got = self.entry(text)
        toks, terms, sc = got[0], got[1], got[2]
        for name in names:
            hs = got[3].get(name)
            if hs is None:
                hs = self.hits(name, text, toks, terms, set())
                if got[4]:  # no term within a pseudo-term
                    hs = [(a, b) for a, b in hs
                          if not any(x <= a and b <= y for x, y in got[4])]
                got[3][name] = hs
            if not hs:
                continue
            if sc is None:
                sc = got[2] = self.scopes(text, toks)
            blk = self.blocked.get(name, set())
            for a, b in hs:
                if not any(mod in blk and lo <= a and b <= hi
                           for mod, lo, hi in sc):
                    return True
        return False

class Pattern:
    def __init__(self, e, flags, lex=None):
        self.concepts = list(e.get("concepts") or []) if lex else []
        self.lex = lex
        pats = []
        if e.get("regex"):
            pats.append(e["regex"])
        if e.get("words"):
            pats.append(words_pattern(e["words"]))
        self.rx = [re.compile(p, flags) for p in pats]
        self.exclude = re.compile(e["exclude"], flags) if e.get("exclude") else None
        self.negate = re.compile(e["negate"], flags) if e.get("negate") else None
        self.rank = re.compile(e["rank"], flags) if e.get("rank") else None

    def negated(self, text, a, b):
        m = self.negate.search(text, max(0, a - NEGATE_BACK))
        while m and m.start() < b:
            if m.end() > a and m.start() < b:
                return True
            m = self.negate.search(text, m.start() + 1)
        return False

    def qualifies(self, rank, text):
        if self.rank and not self.rank.search(rank):
            return False
        if self.exclude and self.exclude.search(text):
            return False
        if self.concepts and self.lex.matches(self.concepts, text):
            return True
        for rx in self.rx:
            for m in rx.finditer(text):
                if not self.negate or not self.negated(text, m.start(), m.end()):
                    return True
        return False


def where_pattern(v, flags):
    if isinstance(v, dict):
        if "not" in v:
            return (True, re.compile(r"(?:%s)\Z" % v["not"], flags))
        return None  # a date range: not evaluated here
    return (False, re.compile(r"(?:%s)\Z" % v, flags))


def load_rules(root, rtype):
    rules = []
    lex = None
    lpath = os.path.join(os.path.dirname(os.path.abspath(root)), "lexicon.yaml")
    if os.path.exists(lpath):
        lex = Lexicon(lpath)
    for dirpath, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if not f.endswith((".yaml", ".yml")):
                continue
            with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                r = yaml.safe_load(fh)
            if r.get("status") == "deprecated":
                continue
            applies = r.get("applies_to") or {}
            if applies.get("type", rtype) != rtype:
                continue
            flags = (0 if r.get("unicode") else re.ASCII) | \
                (0 if r.get("case_sensitive") else re.I)
            where = applies.get("where") or []
            if isinstance(where, dict):
                where = [where]
            alts = []
            for w in where:
                conds = []
                for field, v in w.items():
                    p = where_pattern(v, flags)
                    if p:
                        conds.append((field, p))
                alts.append(conds)
            pats = [Pattern(r[k], flags, lex) for k in ("entry", "if", "then")
                    if isinstance(r.get(k), dict) and
                    (r[k].get("regex") or r[k].get("words") or
                     (lex and r[k].get("concepts")))]
            rules.append((r["id"], alts, pats))
    return sorted(rules, key=lambda r: r[0]), lex


def selected(alts, row):
    if not alts:
        return True
    for conds in alts:
        ok = True
        for field, (neg, rx) in conds:
            hit = rx.match((row.get(field) or "").strip()) is not None
            if hit == neg:
                ok = False
                break
        if ok:
            return True
    return False


def entries(log):
    cur = None
    for line in log.split("\n"):
        m = HEADER.match(line)
        if m and m.group("at"):
            if cur:
                yield cur
            cur = [m.group("rank") or "", line[m.end():]]
        elif cur:
            cur[1] += "\n" + line
    if cur:
        yield cur


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.split("\n\n")[-1])
    rules_dir, path = sys.argv[1], sys.argv[2]
    rtype = sys.argv[3] if len(sys.argv) == 4 else "crime"
    idcol = ID_FIELD[rtype]
    csv.field_size_limit(1 << 24)
    out = csv.writer(sys.stdout)
    rules, lex = load_rules(rules_dir, rtype)
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ents = None
            if lex:
                lex.cache.clear()
            for rid, alts, pats in rules:
                if not selected(alts, row):
                    continue
                if ents is None:
                    ents = list(entries(row.get("log") or ""))
                found = 0
                for rank, text in ents:
                    if any(p.qualifies(rank, text) for p in pats):
                        found += 1
                out.writerow([row[idcol], rid, found])


if __name__ == "__main__":
    main()
