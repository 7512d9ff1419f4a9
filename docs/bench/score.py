#!/usr/bin/python3
"""Score clusterings against a label column on identical rows.

    score.py INPUT.csv ID_COL LABEL_COL NAME=CLUSTERS.csv [NAME=CLUSTERS.csv ...]

Each CLUSTERS.csv is either surveymine's documents.csv (columns kind,
respondent, cluster: one open answer per respondent; cluster 0 =
unclassified, which counts as one more cluster) or the peer's
assignments.csv (first column the id, then cluster). Every row of INPUT.csv is scored:
a row a program left out entirely gets cluster -1 there. Prints CSV:

    name,n,nmi,ari,purity

NMI is sklearn's normalized_mutual_info_score (arithmetic normalisation, as
surveymine's cluster.NMI), ARI adjusted_rand_score, purity the share of
rows in their cluster's majority label.
"""
import sys

import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def load(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "respondent" in df.columns:
        df = df[df["kind"] == "answer"]
        df = df.rename(columns={"respondent": "id"})
    else:  # the peer's assignments.csv: its id column (named as in the input) comes first
        df = df.rename(columns={df.columns[0]: "id"})
    if df["id"].duplicated().any():
        sys.exit(f"score.py: {path}: more than one row per id")
    return df.set_index("id")["cluster"]


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    inp, id_col, label_col = sys.argv[1:4]
    truth = pd.read_csv(inp, dtype=str, keep_default_na=False, usecols=[id_col, label_col])
    truth = truth.set_index(id_col)[label_col]
    print("name,n,nmi,ari,purity")
    for arg in sys.argv[4:]:
        name, path = arg.split("=", 1)
        pred = load(path).reindex(truth.index).fillna("-1")
        n = len(truth)
        ct = pd.crosstab(pred, truth)
        purity = ct.max(axis=1).sum() / n
        print(f"{name},{n},{normalized_mutual_info_score(truth, pred):.4f},"
              f"{adjusted_rand_score(truth, pred):.4f},{purity:.4f}")


if __name__ == "__main__":
    main()
