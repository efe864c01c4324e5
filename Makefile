# Entry points; Maven is the real build underneath. A JDK 21+ is found by bin/amdc-env.sh.
SHELL := /bin/bash
JDK := $(shell . bin/amdc-env.sh && amdc_find_jdk)
MVN := JAVA_HOME="$(JDK)" mvn -B -q
LIB := amdc-dist/target/lib
# Recorded by a ~30 s training run after each build that changed a jar (bin/amdc-aot-train).
AOT := amdc-dist/target/amdc.aot

.PHONY: all build run test clean dist bench check-jdk

all: build

check-jdk:
	@test -n "$(JDK)" || { echo "No JDK 21+ found (set JAVA_HOME)"; exit 1; }

build: check-jdk
	$(MVN) -DskipTests package
	@if [ ! -f $(AOT) ] || [ -n "$$(find $(LIB) -name '*.jar' -newer $(AOT) -print -quit)" ]; then \
	  bin/amdc-aot-train || echo "AOT training failed: the server runs without its cache"; fi

$(LIB): 
	$(MAKE) build

run: $(LIB)
	bin/amdc-server $(ARGS)

test: check-jdk
	$(MVN) verify

dist: build
	@ls -1 amdc-dist/target/*.tar.gz

bench: build
	bench/run-all.sh

clean:
	$(MVN) clean
