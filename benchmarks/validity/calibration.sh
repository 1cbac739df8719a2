#!/usr/bin/env bash
# Calibration of the default independence audit (`verify --test auto`) on data drawn from each bnlearn network of at most
# 100 nodes: K independent datasets per (network, n), the mean false-positive rate at α = 0.05 with its Student-t
# interval across datasets, and the pooled count against the binomial band α ± 1.96·√(α(1 − α)/T) (the band treats the
# pooled statements as independent, which they are not: a guide, the t interval is the honest one).
# K is 40 for the networks of at most 11 nodes (a handful of statements each), else 5 at n = 10,000 and 3 at 100,000;
# NETWORKS="alarm" K=10 overrides both.
# Usage: benchmarks/validity/calibration.sh [TEST] [SET]   (defaults auto, local; needs ../shared; about 12 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
test=${1:-auto}
set=${2:-local}
bif=../shared/data/bif
out=out/validity/calibration-$test-$set
mkdir -p "$out"
dotnet build src/Cli -c Release -v q -nologo >/dev/null
hs() { dotnet src/Cli/bin/Release/net10.0/hybridsynth.dll "$@"; }
printf '%-11s %7s %2s %7s %17s %14s %15s %7s\n' network n K mean "t interval" pooled band seconds
for n in 10000 100000; do
  for net in ${NETWORKS:-asia cancer earthquake survey sachs child insurance water mildew alarm barley hailfinder hepar2 win95pts}; do
    case $net in asia|cancer|earthquake|survey|sachs) k=40 ;; *) k=$([ "$n" = 10000 ] && echo 5 || echo 3) ;; esac
    k=${K:-$k}
    start=$(date +%s.%N)
    hs verify --spec "$bif/$net.bif" --replicates "$k" -n "$n" --seed 1 --test "$test" --set "$set" --threads 2 \
      -o "$out/$net-$n.json" --json > "$out/$net-$n.summary.json" 2>/dev/null
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    python3 - "$out/$net-$n.summary.json" "$net" "$n" "$k" "$secs" <<'PY'
import json, math, sys
s = json.load(open(sys.argv[1])); f = s["false_positive_rate"]; p = s["pooled"]
t = p["tested"]; r = p["rejections"]; half = 1.96 * math.sqrt(0.05 * 0.95 / t) if t else float("nan")
inside = "in" if t and abs(r / t - 0.05) <= half else "OUT"
print(f"{sys.argv[2]:<11} {int(sys.argv[3]):>7} {sys.argv[4]:>2} {100*f['mean']:6.2f}% [{100*f['ci95'][0]:5.2f}%, {100*f['ci95'][1]:5.2f}%] "
      f"{r:>5}/{t:<8} {100*r/t:5.2f}% {inside:<3} {float(sys.argv[5]):7.1f}")
PY
  done
done
