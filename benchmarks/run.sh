#!/usr/bin/env bash
# make bench: the engine against the reference PyTorch, side by side, on this machine, in one run.
#   1. the case list (java ... dev.loss4j.bench.Cases), the memory copy bandwidth
#   2. JMH: each selected case alone in its own fork, with the gc profiler (bytes allocated per call)
#   3. for each thread count: every case in one JVM in sequence (SequenceRunner), then the same cases in
#      PyTorch 2.13 (pytorch_bench.py under bin/reference-torch), back to back
#   3b. the float32 large cases once more at 1 thread with G1's own young-generation sizing (the heap flags'
#      effect, for the report)
#   4. shim_bench.py under CPython + PyTorch and under bin/loss4j-python: start-up, small calls, warm-up,
#      data transfer, 1M-element losses
#   4b. SparkBench: rows per second per core of Spark aggregates, Spark SQL and the engine
#   5. report.py: benchmarks/results/<date>.md and <date>-ratios.svg
# Knobs (environment): BENCH_QUICK=1 (large float32 cases only, short times), BENCH_ONLY=REGEX (case ids,
# e.g. 'cross_entropy|mse_loss'), BENCH_JMH=REGEX|none (cases run alone under JMH; default '/large/float32$'),
# BENCH_SHIM=0 (skip step 4), BENCH_SPARK=0 (skip the Spark aggregates' throughput), BENCH_THREADS='1 2' (thread counts; default 1 and all cores),
# BENCH_DATE (report name; default today), BENCH_RESULTS (folder; default benchmarks/results).
# See benchmarks/README.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
jdk=$(bin/find-jdk)
java="$jdk/bin/java"
cores=$(nproc)
quick=${BENCH_QUICK:-0}
only=${BENCH_ONLY:-}
threads=${BENCH_THREADS:-"1 $cores"}
run="$root/benchmarks/target/bench-run"
results=${BENCH_RESULTS:-$root/benchmarks/results}
date=${BENCH_DATE:-$(date -u +%F)}
name=$date; [ "$quick" = 1 ] && name="$date-quick"
rm -rf "$run"; mkdir -p "$run" "$results"
cp="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
simd=(--add-modules jdk.incubator.vector)
# The engine's JVMs get a fixed, pre-touched heap, as a long-running service is configured: a heap that
# grows while large gradients are allocated pays a page fault per fresh 4 KB page (measured: nll_loss
# (1024, 1000) fwd+bwd 1.86 ms on a growing heap, 0.13 ms pre-touched), the JVM's counterpart of the
# malloc settings PyTorch gets below. BENCH_JVM_HEAP='' turns it off.
# The young generation is fixed at 64 MiB, with 32 MiB regions so that a 4 MB gradient is an ordinary young
# object rather than a humongous one: every call's fresh outputs then land in memory the last few calls used,
# still in cache, as PyTorch's freed blocks come back from malloc. With G1's own sizing (a young generation of
# gigabytes) each output is written to memory not touched for seconds: measured 2026-12-03, 1 thread,
# sigmoid (4096, 256) fwd 831 -> 472 us, nll_loss (1024, 1000) fwd+bwd 400 -> 157 us, mse_loss fwd+bwd
# 920 -> 559 us, linear_cross_entropy unchanged. Step 3b runs the float32 cases again with G1's own sizing.
heap=(${BENCH_JVM_HEAP--Xms6g -Xmx6g -XX:+AlwaysPreTouch -XX:G1HeapRegionSize=32m -Xmn64m})
heap_g1_sizing=(-Xms6g -Xmx6g -XX:+AlwaysPreTouch)
# glibc keeps freed memory (no mmap for large blocks, no trimming), so PyTorch's allocations are not
# page-faulted back in on every call.
malloc=(env MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736)

if [ "$quick" = 1 ]; then
  cases=${only:-/large/float32$}; [ -n "$only" ] && cases="^(?=.*(?:$only)).*/large/float32$"
  warm=0.02; measure=0.05; curve_budget=1
  jmh_cases=${BENCH_JMH:-'^(mse_loss|cross_entropy)/large/float32$'}
  jmh_opts=(-wi 1 -w 200ms -i 2 -r 200ms); startup_repeat=1; shim_quick=(--quick)
else
  cases=${only:-.}
  warm=0.05; measure=0.1; curve_budget=4
  jmh_cases=${BENCH_JMH:-'^(?!linear_cross_entropy).*/large/float32$'}
  [ -n "$only" ] && [ -z "${BENCH_JMH:-}" ] && jmh_cases="^(?=.*(?:$only)).*/large/float32$"
  jmh_opts=(-wi 3 -w 400ms -i 3 -r 300ms); startup_repeat=5; shim_quick=()
fi
# linear_cross_entropy's large case takes seconds a call on the engine's plain loops: left out of JMH and the shim
# script by default (the one-JVM run, PyTorch's script and the memory step have it).
shim_cases="^(?!linear_cross_entropy).*/large/float32$"; [ -n "$only" ] && shim_cases="^(?=.*(?:$only)).*/large/float32$"

say() { echo "[bench $(date -u +%T), $(( $(date +%s) - start )) s] $*"; }
{
  echo "{\"date\":\"$date\",\"quick\":$quick,\"only\":\"$only\",\"cores\":$cores,"
  echo "\"cpu\":\"$(lscpu | sed -n 's/^Model name: *//p' | head -1)\","
  echo "\"heap\":\"${heap[*]}\",\"load_before\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"java\":\"$("$java" -version 2>&1 | head -1 | tr -d '"')\"}"
} > "$run/meta-start.json"

say "case list and copy bandwidth"
"$java" -cp "$cp" dev.loss4j.bench.Cases > "$run/cases.jsonl"
"$java" -cp "$cp" dev.loss4j.bench.Bandwidth "$cores" > "$run/bandwidth.json"
cat "$run/bandwidth.json"

py=""
if py=$(bin/reference-torch); then say "reference PyTorch: $py"; else say "no reference PyTorch: its columns stay empty"; py=""; fi

if [ "$jmh_cases" != none ]; then
  ids=$("$java" -cp "$cp" dev.loss4j.bench.Cases "$jmh_cases" | sed 's/^{"id":"\([^"]*\)".*/\1/' | paste -sd, -)
  if [ -n "$ids" ]; then
    say "JMH, one fork per case and mode, 1 thread: $(echo "$ids" | tr ',' '\n' | wc -l) cases x 2 modes (log: $run/jmh.log)"
    "$java" -cp "$cp" org.openjdk.jmh.Main dev.loss4j.bench.LossBench -p id="$ids" -f 1 "${jmh_opts[@]}" \
      -jvmArgs "--add-modules jdk.incubator.vector -Dloss4j.threads=1 ${heap[*]}" -prof gc \
      -rf json -rff "$run/jmh.json" > "$run/jmh.log" 2>&1 || say "JMH failed: see $run/jmh.log"
  fi
fi

for t in $threads; do
  sel=$cases
  # Thread counts above 1 only change cases of 64K elements and more: small cases run at 1 thread alone.
  [ "$t" != 1 ] && sel="^(?!.*/small/).*(?:$cases)"
  say "loss4j, all cases in one JVM, $t thread(s)"
  "$java" "${simd[@]}" "${heap[@]}" -Dloss4j.threads="$t" -cp "$cp" dev.loss4j.bench.SequenceRunner --cases "$sel" \
    --threads "$t" --warm "$warm" --measure "$measure" --curve-budget "$curve_budget" --out "$run/loss4j-$t.jsonl"
  if [ -n "$py" ]; then
    say "PyTorch, the same cases, $t thread(s)"
    "${malloc[@]}" "$py" benchmarks/pytorch_bench.py --cases "$run/cases.jsonl" --only "$sel" --threads "$t" \
      --warm "$warm" --measure "$measure" --curve-budget "$curve_budget" --out "$run/torch-$t.jsonl"
  fi
done

if [ -z "${BENCH_JVM_HEAP+set}" ]; then
  say "loss4j, float32 large cases in one JVM, 1 thread, with G1's own young-generation sizing"
  "$java" "${simd[@]}" "${heap_g1_sizing[@]}" -Dloss4j.threads=1 -cp "$cp" dev.loss4j.bench.SequenceRunner \
    --cases "^(?=.*(?:$cases)).*/large/float32$" --threads 1 --warm "$warm" --measure "$measure" --curve-budget 0 \
    --modes forwardBackward --out "$run/young-g1-sizing-1.jsonl"
fi

say "linear_cross_entropy, 50,000 classes: extra memory of one forward+backward, reference and chunked paths"
"$java" "${simd[@]}" "${heap[@]}" -Dloss4j.threads=1 -cp "$cp" dev.loss4j.bench.LceMemory > "$run/lce-memory-loss4j.jsonl" \
  || say "LceMemory failed"
if [ -n "$py" ]; then
  "$py" benchmarks/lce_memory.py --cases "$run/cases.jsonl" > "$run/lce-memory-torch.jsonl" || say "lce_memory.py failed"
fi

if [ "${BENCH_SHIM:-1}" != 0 ]; then
  say "start-up: bin/loss4j-python (median of $startup_repeat)"
  python3 benchmarks/shim_bench.py --startup "$root/bin/loss4j-python" --repeat "$startup_repeat" \
    --out "$run/startup-loss4j.json"
  say "shim_bench.py under bin/loss4j-python"
  bin/loss4j-python benchmarks/shim_bench.py "${shim_quick[@]}" --cases "$run/cases.jsonl" --only "$shim_cases" \
    --out "$run/shim-loss4j.json" || say "shim_bench.py failed under bin/loss4j-python"
  if [ -n "$py" ]; then
    say "start-up: CPython + PyTorch (median of $startup_repeat)"
    python3 benchmarks/shim_bench.py --startup "$py" --repeat "$startup_repeat" --out "$run/startup-torch.json"
    say "shim_bench.py under CPython + PyTorch"
    "${malloc[@]}" "$py" benchmarks/shim_bench.py "${shim_quick[@]}" --cases "$run/cases.jsonl" --only "$shim_cases" \
      --out "$run/shim-torch.json"
  fi
fi

if [ "${BENCH_SPARK:-1}" != 0 ]; then
  # Spark at one task thread and the engine at one thread: the rates are per core.
  spark_rows=2000000; [ "$quick" = 1 ] && spark_rows=200000
  say "Spark aggregates, $spark_rows rows, local[1] (SparkBench; log: $run/spark.log)"
  "$java" -Xmx6g -Xss8m "${simd[@]}" -Dloss4j.threads=1 --enable-native-access=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow $(sed -n 's:.*<spark.opens>\(.*\)</spark.opens>.*:\1:p' spark/pom.xml) \
    -cp "spark/target/test-classes:spark/target/classes:$(cat spark/target/classpath.txt)" \
    dev.loss4j.spark.SparkBench --rows "$spark_rows" --out "$run/spark.json" > "$run/spark.log" 2>&1 \
    || say "SparkBench failed: see $run/spark.log"
fi

echo "{\"seconds\":$(( $(date +%s) - start )),\"load_after\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" > "$run/meta-end.json"
say "report"
python3 benchmarks/report.py "$run" --md "$results/$name.md" --svg "$results/$name-ratios.svg"
say "done: $results/$name.md"
