# Almanac — the two first commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
MVN ?= mvn -B
export DJL_OFFLINE := true
export OPT_OUT_TRACKING := true

.PHONY: test test-fast tools build crds demo demo-down demo-cluster demo-cluster-down clean

# The JRE base image scripts/node-tools.sh builds; Jib puts the three application images on it.
IMAGE_BASE ?= tar://$(HOME)/.cache/almanac/node/images/jre17.tar

## Sets up the test tools (cached) and runs every test tier: unit, reconciler, integration, chart,
## browser, and the node tier (the images in real pods on a real kubelet, module node-tests).
test: tools
	$(MVN) verify -Pimages -Dimage.base=$(IMAGE_BASE)

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

## The demo on a real one-node cluster: helm install, the examples, real pods from the project's images.
demo-cluster:
	@bash scripts/demo-cluster.sh up

## Stops the demo cluster and leaves the machine as it was (no mounts, netns, iptables rules, processes).
demo-cluster-down:
	@bash scripts/demo-cluster.sh down

clean:
	$(MVN) -q clean
