#!/usr/bin/env bash
# Makes python-shim/target/runtime, the fast start of bin/loss4j-python (run by `make build`; skips what is
# up to date). Two parts:
#  - jdk/: a jlink image of the JDK without its empty jdk.graal.compiler placeholder, so the real Graal
#    compiler can sit on the plain module path. The stock JDK needs --upgrade-module-path for it, and that
#    option turns CDS and the AOT cache off.
#  - loss4j.aot: a JDK AOT cache (JEP 483/514/515: classes loaded and linked, method profiles) recorded
#    while the image runs train.py, a representative loss script; that run also leaves the shim's modules
#    compiled in shim-code/ (compiling them from source took about 3 s of a start).
# bin/loss4j-env uses the runtime only while it is newer than every jar and class folder it was made from.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
jdk=$("$root/bin/find-jdk")
shim="$root/python-shim/target"
rt="$shim/runtime"
# The inputs (jars and class folders) must exist: `mvn package` makes them.
for f in "$shim"/loss4j-python-*.jar "$root"/java-core/target/loss4j-core-*.jar "$shim"/jit/compiler-*.jar; do
  [ -f "$f" ] || { echo "build-runtime: $f missing: run mvn package first" >&2; exit 1; }
done

# The image depends only on the JDK it is cut from and on how it is linked.
jdk_id="$jdk $(cat "$jdk/release" "$root/python-shim/src/runtime/LinkRuntimeImage.java" | cksum)"
if [ ! -x "$rt/jdk/bin/java" ] || [ "$(cat "$rt/jdk.id" 2>/dev/null)" != "$jdk_id" ]; then
  rm -rf "$rt"
  mkdir -p "$rt"
  # Every module of the JDK except the compiler placeholder (and jlink itself, which a linked image may not hold).
  mods=$("$jdk/bin/java" --list-modules | sed 's/@.*//' \
    | grep -v -x -E 'jdk\.graal\.compiler|jdk\.graal\.compiler\.management|jdk\.jlink|jdk\.jpackage' | paste -sd, -)
  echo "loss4j: making the runtime image (jlink)..." >&2
  # Through LinkRuntimeImage, so that the Vector API module in the image no longer warns when resolved (see
  # there); the image then keeps it, and the launcher adds it (the "vector" mark). Should a JDK refuse that
  # route, a plain jlink makes the image without the module, and the engine runs its scalar kernels.
  link=("$jdk/bin/java" --add-modules jdk.jlink --add-exports jdk.jlink/jdk.tools.jlink.internal=ALL-UNNAMED
    --add-exports jdk.jlink/jdk.tools.jlink.plugin=ALL-UNNAMED "$root/python-shim/src/runtime/LinkRuntimeImage.java")
  opts=(--strip-debug --no-header-files --no-man-pages --output "$rt/jdk")
  if "${link[@]}" --add-modules "$mods" "${opts[@]}" > "$rt/jlink.log" 2>&1; then
    touch "$rt/vector"
  else
    rm -rf "$rt/jdk"
    "$jdk/bin/jlink" --add-modules "$(echo "$mods" | tr , '\n' | grep -v -x 'jdk\.incubator\.vector' | paste -sd, -)" \
      "${opts[@]}" >> "$rt/jlink.log" 2>&1 || { cat "$rt/jlink.log" >&2; exit 1; }
  fi
  echo "$jdk_id" > "$rt/jdk.id"
fi

# The JVM arguments of the fast path; bin/loss4j-env reads them back (one per line).
source "$root/python-shim/src/runtime/jvm-args.sh"
args=$(loss4j_runtime_args "$root")
if [ -f "$rt/ready" ] && [ "$(cat "$rt/args" 2>/dev/null)" == "$args" ] \
    && [ -z "$(loss4j_runtime_stale "$root")" ]; then
  exit 0
fi
rm -rf "$rt/ready" "$rt/loss4j.aot" "$rt/shim-code"
mkdir "$rt/shim-code"
echo "loss4j: recording the AOT cache (a training run of python-shim/src/runtime/train.py)..." >&2
mapfile -t argv <<< "$args"
# The training run's output, and the JVM's log of the dump, go to a file kept for when it fails.
# It also writes the shim's compiled modules (see bootstrap.py) for the launcher to read instead of compiling.
if ! "$rt/jdk/bin/java" -XX:AOTCacheOutput="$rt/loss4j.aot" "${argv[@]}" -Dloss4j.shimCodeCache="$rt/shim-code" \
    -Dloss4j.shimCodeCache.write=true dev.loss4j.python.Launcher \
    "$root/python-shim/src/runtime/train.py" > "$rt/train.out" 2>&1 \
    || [ ! -f "$rt/loss4j.aot" ]; then
  echo "build-runtime: the training run failed (see $rt/train.out); bin/loss4j-python keeps the slow start" >&2
  exit 1
fi
printf '%s\n' "$args" > "$rt/args"
touch "$rt/ready"
