#!/usr/bin/env bash
# make bench: JMH on the engine, then the same cases in PyTorch (when /usr/bin/python3 has torch), side by side.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jdk=$("$root/bin/find-jdk")
out="$root/benchmarks/target/jmh-result.json"
cp="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
"$jdk/bin/java" -cp "$cp" org.openjdk.jmh.Main -f 1 -wi 3 -w 1s -i 5 -r 1s -t 1 \
  -rf json -rff "$out" "${BENCH:-dev.loss4j.bench}"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  /usr/bin/python3 "$root/benchmarks/pytorch_bench.py" "$out"
else
  echo "PyTorch not found at /usr/bin/python3 (apt-get install -y python3-torch): comparison skipped"
fi
echo
echo "Shim data transfer (bin/loss4j-python benchmarks/shim_transfer.py):"
"$root/bin/loss4j-python" "$root/benchmarks/shim_transfer.py"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "Same script under PyTorch:"
  /usr/bin/python3 "$root/benchmarks/shim_transfer.py"
fi
