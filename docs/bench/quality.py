#!/usr/bin/python3
"""Score surveymine's and the Python peer's clusters against the same ground truth,
on the same rows, with the same metric code (scikit-learn), several ways.

    quality.py INPUT.csv OURS_OUT_DIR PEER_OUT_DIR

INPUT.csv is the generated survey (序号 and 真实原因 columns); OURS_OUT_DIR holds
surveymine's documents.csv (cluster per open answer, 0 = unclassified) and
respondents.csv (序号 per respondent); PEER_OUT_DIR holds the peer's
assignments.csv (序号, cluster). Prints one CSV table to stdout:

    subset,n,ours_nmi,ours_ari,peer_nmi,peer_ari

Subsets (the same rows for both sides in every line):
  all           every respondent; ours' unclassified group counts as one more
                cluster (k+1 labels), the peer always assigns one of k clusters
  ours_clustered  the rows surveymine put into a cluster 1..k: the rows its own
                cluster_quality.csv scores (its figures must match ours_* here)
  substantive   rows whose truth is 1..9 (a real cause; 0 = no content or
                off-topic); ours' unclassified rows among them keep label 0
                (as in "all"), so a real answer ours left out counts against it
  substantive_clustered  rows with truth 1..9 that ours put into a cluster

NMI is sklearn's normalized_mutual_info_score (arithmetic mean normalisation,
the same as surveymine's cluster.NMI and the peer's own figure); ARI is
adjusted_rand_score.
"""
import sys

import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    inp, ours_dir, peer_dir = sys.argv[1:]
    truth = pd.read_csv(inp, dtype=str, keep_default_na=False, usecols=["序号", "真实原因"])
    truth = truth.rename(columns={"序号": "id", "真实原因": "truth"})
    truth["truth"] = truth["truth"].astype(int)

    docs = pd.read_csv(f"{ours_dir}/documents.csv", dtype=str, keep_default_na=False,
                       usecols=["kind", "respondent", "question", "cluster"])
    docs = docs[(docs["kind"] == "answer") & (docs["question"] == "Q6")]
    resp = pd.read_csv(f"{ours_dir}/respondents.csv", dtype=str, keep_default_na=False,
                       usecols=["respondent", "序号"])
    ours = docs.merge(resp, on="respondent", how="left").rename(columns={"序号": "id", "cluster": "ours"})
    ours = ours[["id", "ours"]]
    if ours["id"].duplicated().any():
        sys.exit("quality.py: more than one Q6 answer per respondent in documents.csv")

    peer = pd.read_csv(f"{peer_dir}/assignments.csv", dtype=str, keep_default_na=False,
                       usecols=["序号", "cluster"]).rename(columns={"序号": "id", "cluster": "peer"})

    df = truth.merge(ours, on="id", how="left").merge(peer, on="id", how="left")
    missing_ours = int(df["ours"].isna().sum())
    missing_peer = int(df["peer"].isna().sum())
    # A respondent with no Q6 document at all is unclassified for us.
    df["ours"] = df["ours"].fillna("0").astype(int)
    df["peer"] = df["peer"].fillna("-1").astype(int)

    subsets = [
        ("all", df),
        ("ours_clustered", df[df["ours"] >= 1]),
        ("substantive", df[df["truth"] >= 1]),
        ("substantive_clustered", df[(df["truth"] >= 1) & (df["ours"] >= 1)]),
    ]
    print("subset,n,ours_nmi,ours_ari,peer_nmi,peer_ari")
    for name, s in subsets:
        vals = [normalized_mutual_info_score(s["truth"], s["ours"]), adjusted_rand_score(s["truth"], s["ours"]),
                normalized_mutual_info_score(s["truth"], s["peer"]), adjusted_rand_score(s["truth"], s["peer"])]
        print(name, len(s), *(f"{v:.4f}" for v in vals), sep=",")
    n0 = int((df["ours"] == 0).sum())
    print(f"# rows {len(df)}; ours unclassified {n0} (of which truth 0: {int(((df['ours'] == 0) & (df['truth'] == 0)).sum())}); "
          f"truth 0 rows {int((df['truth'] == 0).sum())}; rows without a Q6 document: ours {missing_ours}, peer {missing_peer}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
