# Sourced by build-runtime.sh and bin/loss4j-env: what the fast path (python-shim/target/runtime) runs with.

# The JVM arguments after the java binary, one per line: the Graal compiler on the plain module path (the
# runtime image has no placeholder to upgrade), the polyglot and GraalPy modules, the Vector API module when
# the image holds it unmarked (build-runtime.sh; without it the engine's kernels take their scalar path, up to
# 10x slower on exp/log-heavy losses), loss4j's two jars.
loss4j_runtime_args() {
  local root=$1 shim="$1/python-shim/target" mods="" j vector=""
  local simd=()
  if [ -f "$shim/runtime/vector" ]; then
    vector=,jdk.incubator.vector
    # Two things the AOT cache does to the Vector API on JDK 25, each leaving the SIMD loops compiled with
    # every vector boxed (measured on a 1M-element BCEWithLogits forward+backward: 1-3 s and 340-650 MB
    # allocated per call, against 40-70 ms and 28 MB without the cache):
    #  - HotSpot turns its Vector API intrinsics on when it defines jdk.incubator.vector at boot; a JVM that
    #    restores the module graph from the cache skips that step and leaves them off. We turn them on.
    #  - Replaying the training run's method profiles (JEP 515) still boxed them. We replay none; the cache
    #    keeps its classes loaded and linked, which is most of the start-up it buys.
    simd=(-XX:+EnableVectorSupport -XX:+EnableVectorReboxing -XX:+EnableVectorAggressiveReboxing
      -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining)
  fi
  for j in "$shim"/modules/*.jar "$shim"/jit/compiler-*.jar; do mods="$mods${mods:+:}$j"; done
  printf '%s\n' -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "${simd[@]}" --module-path "$mods" \
    --add-modules "ALL-MODULE-PATH$vector" --enable-native-access=ALL-UNNAMED,org.graalvm.truffle \
    --sun-misc-unsafe-memory-access=allow \
    -cp "$(ls "$shim"/loss4j-python-*.jar):$(ls "$root"/java-core/target/loss4j-core-*.jar)"
}

# Prints one input newer than the runtime's ready mark (nothing when the runtime is fresh): a jar, or a class or
# resource compiled after the jars were packed.
loss4j_runtime_stale() {
  local root=$1 shim="$1/python-shim/target"
  find "$shim"/loss4j-python-*.jar "$root"/java-core/target/loss4j-core-*.jar "$shim/modules" "$shim/jit" \
    "$shim/classes" "$root/java-core/target/classes" -newer "$shim/runtime/ready" -print -quit 2>/dev/null
}
