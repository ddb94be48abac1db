#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Reference for the `check` benchmark: what an analyst would otherwise write.

A plain Python csv + re script that applies the same rule patterns to the
same export: it splits each record's log into dated entries with the default
entry-header regex and, for every rule that applies to the record's type,
looks for an entry matching the rule's pattern (and not its exclude pattern,
and of the right rank).  It writes one row per record and rule
(id, rule_id, found) so that its work cannot be optimised away, and is not
a second implementation of caseaudit's verdict logic (no date windows).

Usage: bench/reference_check.py RULES_DIR EXPORT.csv > out.csv
"""
import csv
import os
import re
import sys

import yaml

HEADER = re.compile(
    r"^(?P<at>\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?|\d{2}/\d{2}/\d{4}(?: \d{2}:\d{2})?)\s+"
    r"(?:(?P<rank>PCSO|PC|DC|PS|DS|SPS|Sgt|DSgt|Insp|SI|DI|CI|DCI|Supt|DSupt|CSupt|DCS|ACC|DCC|CC|Staff)\s+"
    r"(?P<author>[^:\n]{0,60}?)\s*:\s*)?",
    re.I,
)


def words_pattern(words):
    return r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"


def load_rules(root, rtype):
    rules = []
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if not f.endswith((".yaml", ".yml")):
                continue
            with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                r = yaml.safe_load(fh)
            applies = (r.get("applies_to") or {}).get("type")
            if applies and applies != rtype:
                continue
            pats = []
            for key in ("entry", "if", "then", "a", "b"):
                e = r.get(key)
                if not isinstance(e, dict):
                    continue
                rx = e.get("regex") or (words_pattern(e["words"]) if e.get("words") else None)
                if not rx:
                    continue
                pats.append((
                    re.compile(rx, re.I),
                    re.compile(e["exclude"], re.I) if e.get("exclude") else None,
                    re.compile(e["rank"], re.I) if e.get("rank") else None,
                ))
            if pats:
                rules.append((r["id"], pats))
    return rules


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
    rules_dir, path = sys.argv[1], sys.argv[2]
    rtype = "crime"
    csv.field_size_limit(1 << 24)
    out = csv.writer(sys.stdout)
    with open(path, newline="", encoding="utf-8") as fh:
        rd = csv.DictReader(fh)
        idcol = "crime_ref"
        rules = load_rules(rules_dir, rtype)
        for row in rd:
            ents = list(entries(row.get("log") or ""))
            for rid, pats in rules:
                found = 0
                for rank, text in ents:
                    for rx, ex, rk in pats:
                        if rx.search(text) and not (ex and ex.search(text)) and \
                                not (rk and not rk.search(rank)):
                            found += 1
                            break
                out.writerow([row[idcol], rid, found])


if __name__ == "__main__":
    main()
