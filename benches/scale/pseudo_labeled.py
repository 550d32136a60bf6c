#!/usr/bin/env python3
"""Make a large labeled CSV for the training-at-scale benchmark: the sentences of
../shared/corpus/news-ar.txt labeled by tasnif's built-in model.

usage: pseudo_labeled.py N OUT.csv   (N sentences; needs target/release/tasnif)
"""
import csv
import json
import os
import subprocess
import sys

n, out = int(sys.argv[1]), sys.argv[2]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
corpus = os.path.join(root, "..", "shared", "corpus", "news-ar.txt")
tasnif = os.path.join(root, "target", "release", "tasnif")
with open(corpus, encoding="utf-8") as f:
    lines = [json.dumps({"text": l.rstrip("\n")}, ensure_ascii=False) for l in f]
proc = subprocess.Popen([tasnif, "classify", "--input", "jsonl", "--format", "jsonl"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
out_rows = []
stdout, _ = proc.communicate("\n".join(lines) + "\n")
for line in stdout.splitlines():
    r = json.loads(line)
    if "summary" in r or r["label"].startswith("("):
        continue
    out_rows.append((r["doc"], r["text"], r["label"]))
# The corpus has about 75,000 sentences: repeat them (as new articles) up to N.
base = list(out_rows)
k = 1
while len(out_rows) < n and base:
    out_rows.extend((f"{d}#{k}", t, l) for d, t, l in base[: n - len(out_rows)])
    k += 1
out_rows = out_rows[:n]
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["doc", "text", "label"])
    w.writerows(out_rows)
print(f"{len(out_rows)} sentences -> {out}", file=sys.stderr)
