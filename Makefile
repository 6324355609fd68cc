# loss4j: `make run` (the demo) and `make test` (every test) are all a fresh machine needs.
SHELL := /bin/bash
JDK := $(shell bin/find-jdk 2>/dev/null)
ifeq ($(JDK),)
$(error no JDK >= 21 found: looked at JAVA_HOME and /usr/lib/jvm/*; install one, e.g. Temurin 25)
endif
export JAVA_HOME := $(JDK)
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
MVN := mvn -B -q

.PHONY: run test build record bench clean spark-demo fuzz

# After the jars: the fast-start runtime of bin/loss4j-python (python-shim/src/runtime/build-runtime.sh, a jlink
# image and a JDK AOT cache under python-shim/target/runtime), remade only when stale. Without it the launcher
# still works, on the plain JDK (slower start).
build:
	$(MVN) package -DskipTests
	python-shim/src/runtime/build-runtime.sh || echo "loss4j: no fast-start runtime; bin/loss4j-python starts on the plain JDK" >&2

run: build
	bin/loss4j-python examples/tour.py

test:
	mvn -B package --no-transfer-progress 2>&1 | grep -v '^WARNING: .*sun.misc.Unsafe\|^WARNING: Please consider reporting\|terminally deprecated' ; test $${PIPESTATUS[0]} -eq 0

# Re-records tests-parity fixtures from the reference PyTorch, 2.13.0+cpu: bin/reference-torch prints a Python
# that has it (a project-local .torch-venv/, installed offline from the wheels on disk when missing, or
# $$REFERENCE_TORCH_PYTHON). Deterministic: each case seeds its own generator, and PyTorch runs on one thread
# with its AVX2 kernels (AVX-512 ones sum in other orders; the machine would otherwise pick). First,
# check_docstrings.py fails the target when one of our docstrings or comments shares 60+ characters in a row
# with PyTorch's documentation (our text is ours; facts carry over, sentences do not).
record:
	@py=$$(bin/reference-torch) && set -e && export OMP_NUM_THREADS=1 ATEN_CPU_CAPABILITY=avx2 && \
	  cd tests-parity/recorder && $$py check_docstrings.py && $$py record.py $(FAMILIES) && \
	  $$py record_printing.py && $$py record_random.py && $$py record_scripts.py && $$py record_badinput.py && cd ../.. && \
	  $$py examples/java/custom_loss_reference.py > tests-parity/src/test/resources/java-examples/custom_loss.expected

# Differential fuzzing against the reference PyTorch (tests-parity/recorder/fuzz.py): N random cases from SEED,
# recorded from PyTorch and replayed through the Java API and the shim; mismatches are shrunk and listed in
# tests-parity/target/fuzz/, and with KEEP=1 written as fixtures (fixtures/<family>.fuzz.jsonl) for make test.
N ?= 1000
SEED ?= 1
fuzz:
	@py=$$(bin/reference-torch) && set -e && export OMP_NUM_THREADS=1 ATEN_CPU_CAPABILITY=avx2 && \
	  cd tests-parity/recorder && $$py fuzz.py $(N) $(SEED) $(if $(KEEP),--keep)

bench: build
	benchmarks/run.sh

clean:
	mvn -B -q clean

# Spark: ~10M predictions to Parquet, losses over them in Spark SQL beside the single-machine engine.
# SPARK_ROWS=1000000 make spark-demo for a smaller run. Spark needs the JDK packages its launcher opens.
SPARK_ROWS ?= 10000000
spark-demo:
	$(MVN) package -DskipTests -pl java-core,spark
	$(JAVA_HOME)/bin/java -Xmx6g -Xss8m --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
	  --sun-misc-unsafe-memory-access=allow \
	  $$(sed -n 's:.*<spark.opens>\(.*\)</spark.opens>.*:\1:p' spark/pom.xml) \
	  -cp spark/target/test-classes:spark/target/classes:$$(cat spark/target/classpath.txt) \
	  dev.loss4j.spark.SparkDemo $(SPARK_ROWS) 2>&1 | grep -v 'WARNING: .*Unsafe\|^WARNING: Please consider\|terminally deprecated' ; test $${PIPESTATUS[0]} -eq 0
