# The two commands a newcomer runs: `make demo` (the main job) and `make test` (every test).
# The rest are the building blocks they use.
SHELL := /bin/bash
.DEFAULT_GOAL := help
MVN ?= mvn -B -ntp
# The tests always run on the local cluster, never on whatever cluster the caller's KUBECONFIG names;
# demo and deploy honour KUBECONFIG (the local cluster when it is unset).
LOCAL_KUBECONFIG := $(HOME)/.cache/ftp-operator/cluster/admin.kubeconfig

.PHONY: help demo test check check-scripts prereqs binaries build api-test cluster-up cluster-down images \
        deploy smoke-test e2e bench-ftp bench-relay bench-hostile bench-e2e crds check-metrics bench-operator

help:
	@echo "make demo         build everything, start a local cluster (unless KUBECONFIG names one), install the operator, run an FTP transfer"
	@echo "make test         run every test: make check, operator against a real API server, cluster smoke test, end to end"
	@echo "make check        the fast tier, no cluster: format, unit tests, CRD and chart checks, shellcheck (minutes)"
	@echo "make cluster-up   start the local single-node cluster (idempotent); last line: KUBECONFIG=<path>"
	@echo "make cluster-down stop it and remove its processes, iptables rules and network namespaces"
	@echo "make images       build the project's images and import them into the local cluster's containerd"
	@echo "make deploy       install or upgrade the operator with Helm into the cluster KUBECONFIG names"
	@echo "make bench-ftp    FTP throughput, logins and listings: this server against vsftpd on loopback"
	@echo "make bench-relay  two replicas on loopback: data connections direct vs relayed between them"
	@echo "make bench-hostile the same hostile clients against vsftpd and this server, outcomes side by side"
	@echo "make bench-e2e    time from kubectl apply to the first transfer: FtpServer against the same pod applied by hand"
	@echo "make bench-operator N FtpServers (N=1000) on one packaged operator against a real API server: convergence, latency, memory, writes"
	@echo "make check-metrics promtool on the FTP server's and the operator's real /metrics; the dashboard's metrics exist"

prereqs:
	local-cluster/install-prereqs.sh

binaries: prereqs
	local-cluster/build-binaries.sh all

build:
	$(MVN) -DskipTests install

# The contributor's fast tier: no cluster, no Kubernetes build (helm is built once if missing).
# Formatter, the unit tests of both modules, the committed CRD equals the one generated from the Java
# API, the chart (lint, renderings, RBAC = operator/rbac, README's field table), the scripts.
check: check-scripts
	$(MVN) -q spotless:check
	$(MVN) verify -Dit.test=CommittedCrdMatchesGeneratedIT
	helm/check.sh

# every shell script in the repository, shellcheck-clean
check-scripts:
	@command -v shellcheck >/dev/null || { echo "shellcheck is missing: apt-get install shellcheck (make prereqs installs it)" >&2; exit 1; }
	shellcheck -x -P SCRIPTDIR $$(git ls-files '*.sh') .ci/run

# Both /metrics endpoints as they answer after real traffic (the FTP server on loopback, the packaged
# operator against a real API server): promtool check metrics, and every metric the chart's Grafana
# dashboard queries exists. Needs promtool (apt-get install prometheus) and the API-server binaries.
check-metrics: binaries
	helm/check-metrics.sh

# The operator against a real kube-apiserver + etcd: the *IT tests (the unit tests ran in make check)
api-test: binaries
	$(MVN) -pl operator -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false

crds:
	$(MVN) -pl operator -am -DskipTests package
	cp operator/target/kubernetes/ftpservers.ftp.operator.dev-v1.yml crds/
	cp crds/ftpservers.ftp.operator.dev-v1.yml helm/ftp-operator/crds/

cluster-up: binaries
	local-cluster/cluster-up.sh

cluster-down:
	local-cluster/cluster-down.sh

images: prereqs
	local-cluster/images.sh

deploy:
	helm/deploy.sh

smoke-test: cluster-up
	KUBECONFIG=$(LOCAL_KUBECONFIG) local-cluster/smoke-test.sh

e2e: cluster-up images
	KUBECONFIG=$(LOCAL_KUBECONFIG) e2e/run.sh

# N FtpServers on one operator (the packaged app) against kube-apiserver + etcd, no pods: time to converge,
# reconcile latency, RSS and heap, CPU per process, API requests and writes per FtpServer (audit log),
# steady-state and restart writes. N=1000 STEADY=60 by default. SELFTEST=true: the self-test on, every
# FtpServer's endpoint one FTP server on 127.0.0.121:21 (needs root), and what the probes cost (use STEADY=120
# or more: the interval is 60 s). Run it under flock /tmp/ftpop-bench.lock on a shared machine.
N ?= 1000
STEADY ?= 60
SELFTEST ?= false
bench-operator: binaries
	$(MVN) -pl operator -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=OperatorBench \
	  -Dbench.n=$(N) -Dbench.steady=$(STEADY) -Dbench.selftest=$(SELFTEST) | grep -E '^(bench-operator|  )|BUILD|ERROR'

bench-ftp: prereqs
	ftp-server/bench/bench.sh

bench-relay:
	ftp-server/bench/bench-relay.sh
# fixed loopback ports and 127.0.0.1:1023: one run at a time on the machine
bench-hostile: prereqs
	flock /tmp/ftpop-bench.lock ftp-server/bench/hostile.sh
# on the local cluster (run it under flock /tmp/ftpop-cluster.lock, like every use of the cluster)
bench-e2e: cluster-up images
	KUBECONFIG=$(LOCAL_KUBECONFIG) e2e/bench-start.sh

demo: binaries
	e2e/demo.sh

# Every test, the fast tier first; a cluster that this run started is stopped again at the end, a running
# one is reused and left up.
test:
	@if bash -c "source local-cluster/lib.sh && lc_cluster_running" 2>/dev/null; then started=0; else started=1; fi; \
	$(MAKE) --no-print-directory prereqs check api-test smoke-test e2e; rc=$$?; \
	if [ $$started = 1 ]; then $(MAKE) --no-print-directory cluster-down || rc=1; fi; \
	if [ $$rc = 0 ]; then echo "make test: all tests passed"; else echo "make test: FAILED"; fi; exit $$rc
