#!/bin/sh
# Run the three Jobs in order: plan, the Indexed Job of workers, merge.
# Kubernetes has no dependency between Jobs, so this waits for each.
set -eu
here=$(dirname "$0")
kubectl apply -f "$here/plan-job.yaml"
kubectl wait --for=condition=complete --timeout=10m job/surveymine-plan
kubectl apply -f "$here/shard-job.yaml"
kubectl wait --for=condition=complete --timeout=24h job/surveymine-shard
kubectl apply -f "$here/merge-job.yaml"
kubectl wait --for=condition=complete --timeout=24h job/surveymine-merge
