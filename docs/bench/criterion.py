#!/usr/bin/python3
"""Rank correlation between the label-free sweep criteria and NMI.

    criterion.py NAME=k_sweep.csv [NAME=k_sweep.csv ...]

Each k_sweep.csv comes from a run with a truth column (so its nmi column is
filled). Prints, per file and Spearman's rho between NMI and each criterion, the NMI of the
candidate each criterion alone would choose, the candidate the stage chose
(method by mean criterion, then k by coherence; the criterion counts the
stability above the null reference, column stability_null) with its NMI, and the best
NMI of any candidate.
"""
import sys

import pandas as pd
from scipy.stats import spearmanr

CRITERIA = ["criterion", "coherence", "stability", "excess_stability", "silhouette"]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print("set,candidates," + ",".join(f"rho_{c}" for c in CRITERIA) + ","
          + ",".join(f"nmi_by_{c}" for c in CRITERIA) + ",chosen,nmi_chosen,nmi_best")
    for arg in sys.argv[1:]:
        name, path = arg.split("=", 1)
        df = pd.read_csv(path)
        # stability above the null reference (empty in sweeps before it existed)
        null = df["stability_null"] if "stability_null" in df else float("nan")
        df["excess_stability"] = df["stability"] - null
        rhos = [spearmanr(df[c], df["nmi"]).correlation for c in CRITERIA]
        picks = [df.loc[df[c].idxmax(), "nmi"] if df[c].notna().any() else float("nan")
                 for c in CRITERIA]
        ch = df[df["chosen"]].iloc[0]
        print(f"{name},{len(df)}," + ",".join(f"{r:.3f}" for r in rhos) + ","
              + ",".join(f"{p:.4f}" for p in picks) + ","
              + f"{ch['method']} k={ch['k']},{ch['nmi']:.4f},{df['nmi'].max():.4f}")


if __name__ == "__main__":
    main()
