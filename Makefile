# Tracing Dojo — the two set-up commands are `make lab-up` (start the lab) and `make test` (pass the tests).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# A Node that satisfies .nvmrc: the machine's own, or one fetched once into the user cache.
NODE_BIN := $(shell bash .ci/ensure-node.sh)
export PATH := $(if $(NODE_BIN),$(NODE_BIN):)$(PATH)
DOJO := node labs/bin/dojo.js
LAB_FLAGS := $(if $(MODE),--mode $(MODE)) $(if $(SCENARIO),--scenario $(SCENARIO)) $(if $(RPS),--rps $(RPS)) $(if $(filter 0 no off false,$(LOAD)),--no-load)

.PHONY: help deps lab-up lab-down lab-status test test-prereqs test-unit test-site typecheck lint site site-dev bench learner-edition

help:
	@echo "make lab-up      start the lab (kind when Docker+kind answer, else local); MODE=kind|local SCENARIO=id RPS=n LOAD=off"
	@echo "make lab-down    stop the lab: no process left, ports freed, temp data removed"
	@echo "make lab-status  show each component of the running lab"
	@echo "make test        type check, lint, and every test suite (what CI runs)"
	@echo "make site        build the module's site   ·   make site-dev   serve it with live reload"
	@echo "make bench       run the benchmarks and print their figures"
	@echo "make learner-edition OUT=dir [KIT=dir] [REF=commit]   the course without answer keys (a git repo) + the instructor kit"

node_modules/.dojo-installed: package.json package-lock.json $(wildcard */package.json)
	npm ci --no-audit --no-fund
	@touch $@

deps: node_modules/.dojo-installed

lab-up: deps
	$(DOJO) lab up $(LAB_FLAGS)

lab-down: deps
	$(DOJO) lab down

lab-status: deps
	$(DOJO) lab status

typecheck: deps
	npm run typecheck

lint: deps
	npx biome check .

# A real API server for the kind path's tests: Debian's etcd and kube-apiserver built once from its Go module.
test-prereqs:
	bash labs/apiserver/ensure-etcd.sh >/dev/null
	bash labs/apiserver/build.sh >/dev/null

test-unit: deps test-prereqs
	npm test

# The site's browser tests run in Debian's Chromium (Playwright cannot download its own browser here).
test-site: deps
	bash site/scripts/ensure-chromium.sh
	npm run -w site build
	npm run -w site test:e2e

test: typecheck lint test-unit test-site

site: deps
	npm run -w site build

site-dev: deps
	npm run -w site dev

bench: deps
	npm run bench

# What learners clone: the course at REF (default HEAD) without answer keys; the keys go to KIT (default OUT-instructor-kit).
learner-edition: deps
	@node labs/src/edition/main.ts "$(OUT)" "$(KIT)" "$(REF)"
