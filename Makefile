# Almanac — the two first commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
MVN ?= mvn -B
export DJL_OFFLINE := true
export OPT_OUT_TRACKING := true

.PHONY: test test-fast tools build crds demo demo-down clean

## Sets up the test tools (cached) and runs every test tier: unit, reconciler, integration, chart, browser.
test: tools
	$(MVN) verify

## Unit and mock-server tests only (no external tools needed).
test-fast:
	$(MVN) -Pfast verify

## Installs/caches kube-apiserver, etcd, kubectl, helm, promtool, chromium, the MLflow/moto venv.
tools:
	bash scripts/test-tools.sh

## Builds every jar without running tests.
build:
	$(MVN) -q install -DskipTests

## Regenerates the CRDs and copies them into the chart (commit the result).
crds:
	$(MVN) -q -pl crds install -DskipTests
	cp crds/target/classes/META-INF/fabric8/*.yml helm/almanac/crds/

demo:
	@bash scripts/demo.sh up

demo-down:
	@bash scripts/demo.sh down

clean:
	$(MVN) -q clean
