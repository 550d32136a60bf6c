#!/usr/bin/env python3
"""Build data/train.csv and data/test.csv from data/corpus/*.csv.

Whole articles (the `doc` column) go to one side: an article is in the test set when
the first byte of the MD5 of its id is below 256 * 0.2, so the split is about 80/20,
deterministic, and stable when articles are added. Rows are checked (five known labels,
no empty text, no duplicate sentence) and written in file order.
"""
import collections
import csv
import glob
import hashlib
import os
import sys

LABELS = {"defection", "execution", "military_advance", "propaganda", "other"}
here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, "..", "data")

rows, seen, problems = [], set(), []
for path in sorted(glob.glob(os.path.join(data, "corpus", "*.csv"))):
    with open(path, encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f), start=2):
            text, label, doc = r["text"].strip(), r["label"].strip(), r["doc"].strip()
            where = f"{os.path.basename(path)}:{i}"
            if label not in LABELS:
                problems.append(f"{where}: unknown label {label!r}")
            elif not text or not doc:
                problems.append(f"{where}: empty text or doc")
            elif text in seen:
                problems.append(f"{where}: duplicate sentence, dropped")
                continue
            else:
                seen.add(text)
                rows.append((doc, text, label))
for p in problems:
    print(p, file=sys.stderr)
if any("duplicate" not in p for p in problems):
    sys.exit(1)


def is_test(doc):
    return hashlib.md5(doc.encode()).digest()[0] < int(256 * 0.2)


for name, keep in (("train.csv", lambda d: not is_test(d)), ("test.csv", is_test)):
    part = [r for r in rows if keep(r[0])]
    with open(os.path.join(data, name), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["doc", "text", "label"])
        w.writerows(part)
    counts = collections.Counter(r[2] for r in part)
    docs = len({r[0] for r in part})
    print(f"{name}: {len(part)} sentences, {docs} articles, " + ", ".join(f"{k} {counts[k]}" for k in sorted(counts)))
