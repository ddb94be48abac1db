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


class Pattern:
    def __init__(self, e, flags):
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
            pats = [Pattern(r[k], flags) for k in ("entry", "if", "then")
                    if isinstance(r.get(k), dict) and
                    (r[k].get("regex") or r[k].get("words"))]
            rules.append((r["id"], alts, pats))
    return sorted(rules)


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
    rules = load_rules(rules_dir, rtype)
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ents = None
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
