# Sourced by build-runtime.sh and bin/loss4j-env: what the fast path (python-shim/target/runtime) runs with.

# The JVM arguments after the java binary, one per line: the Graal compiler on the plain module path (the
# runtime image has no placeholder to upgrade), the polyglot and GraalPy modules, loss4j's two jars.
loss4j_runtime_args() {
  local root=$1 shim="$1/python-shim/target" mods="" j
  for j in "$shim"/modules/*.jar "$shim"/jit/compiler-*.jar; do mods="$mods${mods:+:}$j"; done
  printf '%s\n' -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --module-path "$mods" \
    --add-modules ALL-MODULE-PATH --enable-native-access=ALL-UNNAMED,org.graalvm.truffle \
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
