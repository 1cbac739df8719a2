#!/usr/bin/env bash
# Why coverage fails on Xu's observational design (benchmarks/dags/xu_dgp.json), decomposed with oracle nuisances:
# every estimator with the fitted nuisances, with the model's true g and Q (@oracle), and with one of each (@oracle-g,
# @oracle-q); then the overlap control (xu_dgp_overlap.json, the propensity logit divided by 20), where the same fitted
# estimators cover. Usage: benchmarks/validity/xu_diagnosis.sh [REPS]   (default 200; about a minute on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=${1:-200}
hs() { dotnet run --project src/Cli -c Release -- "$@"; }
out=out/validity
hs simulate --spec benchmarks/dags/xu_dgp.json --sizes 500,2000,8000 --reps "$reps" --threads 2 --quiet \
  --estimators or,ipw,ipw-hajek,aipw,tmle,tmle-weighted --nuisances fitted,oracle,oracle-g,oracle-q -o "$out/xu-decomposition"
hs simulate --spec benchmarks/dags/xu_dgp_overlap.json --sizes 500,2000,8000 --reps "$reps" --threads 2 --quiet \
  --estimators or,ipw,ipw-hajek,aipw,tmle,tmle-weighted -o "$out/xu-overlap"
