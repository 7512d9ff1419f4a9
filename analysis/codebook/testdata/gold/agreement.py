#!/usr/bin/env python3
"""Agreement between two codings of the gold set (standard library only).

Usage: agreement.py [--split dev,test] [--diff] FILE:COLUMN FILE:COLUMN

Each FILE is a tab-separated file with a header and an `id` column; COLUMN
names the column holding comma-separated category ids (empty = no cause).
Only ids present in both files are compared (with --split, only those whose
split in gold.tsv is listed). Prints Cohen's kappa (Cohen 1960) per category
1..9 on the per-sentence present/absent vectors, the pooled kappa over all
sentence x category decisions, the number of identical label sets, and with
--diff every sentence whose label sets differ.

kappa = (po - pe) / (1 - pe), po = observed agreement,
pe = sum over {present, absent} of the product of the two coders' rates.
"""
import csv
import os
import sys

CATEGORIES = range(1, 10)
HERE = os.path.dirname(os.path.abspath(__file__))


def read(spec):
    path, col = spec.rsplit(":", 1)
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        out = {}
        for n, r in enumerate(rows, start=2):
            if col not in r:
                sys.exit(f"{path}: no column {col!r}")
            try:
                out[r["id"]] = frozenset(int(x) for x in r[col].split(",") if x)
            except ValueError as e:
                sys.exit(f"{path}:{n}: column {col!r}: {e}")
        return out


def kappa(x, y):
    n = len(x)
    po = sum(a == b for a, b in zip(x, y)) / n
    px, py = sum(x) / n, sum(y) / n
    pe = px * py + (1 - px) * (1 - py)
    return float("nan") if pe == 1 else (po - pe) / (1 - pe)


def main(argv):
    splits, show_diff = None, False
    while argv and argv[0].startswith("--"):
        opt = argv.pop(0)
        if opt == "--split":
            splits = set(argv.pop(0).split(","))
        elif opt == "--diff":
            show_diff = True
        else:
            sys.exit(f"unknown option {opt}")
    if len(argv) != 2:
        sys.exit(__doc__)
    a, b = read(argv[0]), read(argv[1])
    split = {}
    with open(os.path.join(HERE, "gold.tsv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            split[r["id"]] = r["split"]
    ids = [i for i in split if i in a and i in b and (splits is None or split[i] in splits)]
    print(f"n = {len(ids)}")
    pooled_x, pooled_y = [], []
    for c in CATEGORIES:
        x = [int(c in a[i]) for i in ids]
        y = [int(c in b[i]) for i in ids]
        pooled_x += x
        pooled_y += y
        print(f"category {c}: kappa {kappa(x, y):.4f}  (first {sum(x)}, second {sum(y)}, both {sum(p & q for p, q in zip(x, y))})")
    print(f"pooled: kappa {kappa(pooled_x, pooled_y):.4f}")
    same = sum(a[i] == b[i] for i in ids)
    print(f"identical label sets: {same} of {len(ids)}")
    if show_diff:
        for i in ids:
            if a[i] != b[i]:
                fmt = lambda s: ",".join(map(str, sorted(s))) or "-"
                print(f"{i}\t{fmt(a[i])}\t{fmt(b[i])}")


if __name__ == "__main__":
    main(sys.argv[1:])
