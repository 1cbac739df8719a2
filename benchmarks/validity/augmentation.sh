#!/usr/bin/env bash
# Positivity augmentation under limited overlap (issue: the estimand and the standard errors must survive augmentation).
# benchmarks/dags/limited_overlap.json: strong confounding (logit 2.5·W1 − W2), an outcome with a W1² term that the
# main-effects outcome model misses, true ATE 1. Compares the plain estimators, real-units augmentation (synthetic units in
# the nuisance fits only; bootstrap SE over the real units) and pooled augmentation (synthetic units counted as real).
# Usage: benchmarks/validity/augmentation.sh [REPS] [BOOTSTRAP]   (defaults 200 and 100; about 4 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=${1:-200}
boot=${2:-100}
hs() { dotnet run --project src/Cli -c Release -- "$@"; }
out=out/validity
hs simulate --spec benchmarks/dags/limited_overlap.json --sizes 500,2000 --reps "$reps" --estimators or,ipw,aipw,tmle \
  --augment 0.05 --augment-bootstrap "$boot" --threads 2 --quiet -o "$out/augmentation-real-units"
hs simulate --spec benchmarks/dags/limited_overlap.json --sizes 500,2000 --reps "$reps" --estimators aipw,tmle \
  --augment 0.05 --augment-mode pooled --threads 2 --quiet -o "$out/augmentation-pooled" | grep -E "estimator|pooled"
