#!/bin/sh
# The whole identity benchmark, in order; each step its own process (peak memory per method).
# Usage: sh bench/identity/run_all.sh [full]   ("full" adds the 1,000,000-person runs)
set -e
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
[ -x $PY ] || make .venv/.installed
$PY -c "import pandas, recordlinkage" 2>/dev/null || $PY -m pip install --quiet -e ".[bench]"
B=bench/identity
mkdir -p var/bench
$PY $B/generate.py --persons 100000 --seed 11 --out var/bench/translit-train-100k.parquet
$PY $B/generate.py --persons 100000 --seed 7 --out var/bench/translit-100k.parquet
$PY $B/run.py train --data var/bench/translit-train-100k.parquet
for m in nansen exact jw generic; do $PY $B/run.py $m --data febrl3; done
for m in nansen exact jw generic; do $PY $B/run.py $m --data var/bench/translit-100k.parquet; done
$PY $B/nomenklatura.py
NANSEN_DATABASE_URL=${PG_BENCH_URL:-postgres://postgres@127.0.0.1:5432/nansen_bench_identity} \
  $PY $B/latency.py --data var/bench/translit-100k.parquet
if [ "$1" = "full" ]; then
  $PY $B/generate.py --persons 1000000 --seed 7 --out var/bench/translit-1m.parquet
  for m in nansen exact jw generic; do
    timeout 3600 $PY $B/run.py $m --data var/bench/translit-1m.parquet || echo "$m failed or timed out"
  done
  NANSEN_DATABASE_URL=${PG_BENCH_URL:-postgres://postgres@127.0.0.1:5432/nansen_bench_identity} \
    $PY $B/latency.py --data var/bench/translit-1m.parquet
  NANSEN_DATABASE_URL=sqlite:///var/bench/identity-latency.sqlite3 \
    $PY $B/latency.py --data var/bench/translit-1m.parquet
fi
$PY $B/report.py
