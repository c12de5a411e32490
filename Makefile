# Serverless patterns: build, local cloud, tests, policy scan, plan/apply per environment.
# `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_VENV := .venv-lambda-runtime
LAMBDA_RUNTIMES := .lambda-runtimes
CHECKOV_VENV := .venv-checkov
PIP_QUIET := --quiet --disable-pip-version-check

## Settings (override on the command line: make up LOCALCLOUD_PORT=4577)
LOCALCLOUD_PORT ?= 4566
ENV ?= dev
# s3: the environment's backend.hcl; local: plan with a throwaway local state (no bucket, plans only)
BACKEND ?= s3
PATTERN ?=
# More workers than cores: a stack's apply is mostly the provider's fixed waits (idle, not CPU).
# Measured on 2 cores (build/bench/suite.json): 3 workers 7 min 55 s of pytest, 5 workers 5 min 29 s.
PYTEST_WORKERS ?= 5
PYTEST_ARGS ?=
# make chaos: the load each chaos test sends, as a multiple of its CI budget
CHAOS_SCALE ?= 1
# TF_PROVIDER_MIRROR: a filesystem mirror of Terraform providers (tooling/terraform.py
# defaults it to /opt/tf-plugins when that folder exists; empty means the public registry).
export LOCALCLOUD_PORT
# The local cloud runs functions on an interpreter that has only what the Lambda runtime has (boto3).
export LOCALCLOUD_LAMBDA_PYTHON ?= $(CURDIR)/$(RUNTIME_VENV)/bin/python
# ...and the other runtimes (python3.13, nodejs20.x, nodejs22.x) on the interpreters prepared here.
export LOCALCLOUD_LAMBDA_RUNTIMES ?= $(CURDIR)/$(LAMBDA_RUNTIMES)

TEST_SELECT := $(if $(PATTERN),--pattern $(PATTERN),)
# Files are handed out in the order tests/conftest.py gives them (longest stacks first), not by test count.
PYTEST := $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder $(TEST_SELECT) $(PYTEST_ARGS)

.PHONY: help install lambda-runtimes build pattern upgrade-check rehearse test test-unit test-localcloud test-plan test-integration scan fmt lint docs graphviz chromium databases \
        up down localcloud-start localcloud-stop localcloud-status plan apply destroy chaos bench clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: requirements/dev.txt localcloud/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) -r requirements/dev.txt 2>&1 | grep -v "is ignored: it is neither" || true
	$(PY) -c "import moto, python_terraform, pytest, xdist, hcl2, localcloud"
	touch $@

$(RUNTIME_VENV)/.installed: requirements/lambda-runtime.txt
	$(PYTHON) -m venv $(RUNTIME_VENV)
	$(RUNTIME_VENV)/bin/python -m pip install $(PIP_QUIET) -r requirements/lambda-runtime.txt 2>&1 | grep -v "is ignored: it is neither" || true
	$(RUNTIME_VENV)/bin/python -c "import boto3"
	touch $@

# Each runtime's own interpreter and SDK (tooling/runtimes.py: cached, so a second run only checks them).
lambda-runtimes: $(VENV)/.installed
	@command -v debootstrap >/dev/null || { \
		echo "installing debootstrap (Debian package) to prepare the python3.13 Lambda runtime"; \
		$(SUDO) apt-get install -y -qq debootstrap >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq debootstrap >/dev/null; } || true; }
	$(PY) -m tooling.runtimes $(LAMBDA_RUNTIMES)

$(CHECKOV_VENV)/.installed: requirements/checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install $(PIP_QUIET) -r requirements/checkov.txt 2>&1 | grep -v "is ignored: it is neither" || true
	$(CHECKOV_VENV)/bin/checkov --version
	touch $@

# The local cloud runs RDS PostgreSQL databases on a real PostgreSQL server (Debian package postgresql)
# and ElastiCache caches on real Redis servers (Debian package redis-server, not started as a service).
databases:
	@command -v pg_ctl >/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
		echo "installing PostgreSQL (Debian package postgresql) for the local cloud's RDS databases"; \
		$(SUDO) apt-get install -y -qq postgresql >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql >/dev/null; }; }
	@command -v redis-server >/dev/null || { \
		echo "installing Redis (Debian package redis-server) for the local cloud's ElastiCache caches"; \
		$(SUDO) apt-get install -y -qq redis-server >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq redis-server >/dev/null; }; }

install: $(VENV)/.installed $(RUNTIME_VENV)/.installed lambda-runtimes $(CHECKOV_VENV)/.installed databases graphviz chromium ## Create the virtualenvs (tooling, Lambda runtime, checkov), prepare the other Lambda runtimes; install PostgreSQL, Redis, Graphviz and Chromium where missing

build: $(VENV)/.installed ## Zip every Lambda package into build/lambdas (PATTERN=name for one)
	$(PY) -m tooling.build $(if $(PATTERN),--only $(PATTERN),)

test: install build lint ## Everything CI runs: lint, all test layers, then the policy scan
	rm -rf build/chaos
	$(PYTEST) -m "unit or localcloud or plan or integration"
	$(PY) -m tooling.chaos --if-any
	$(MAKE) --no-print-directory scan

test-unit: $(VENV)/.installed ## Unit tests only (no Terraform, no server)
	$(PY) -m pytest -m unit $(TEST_SELECT) $(PYTEST_ARGS)

test-localcloud: $(VENV)/.installed $(RUNTIME_VENV)/.installed lambda-runtimes build ## Tests of the local cloud's extensions
	$(PYTEST) -m localcloud

test-plan: install build ## Plan tests of modules and environments
	$(PYTEST) -m plan

test-integration: install build ## Apply patterns on the local cloud and drive them
	$(PYTEST) -m integration

scan: $(CHECKOV_VENV)/.installed ## checkov over modules/, patterns/ and environments/ (fails on any failed check)
	@# One run per folder: given several --directory flags, checkov 3.3 reports only the first folder's results.
	for folder in modules patterns environments; do \
		echo "checkov: $$folder"; \
		$(CHECKOV_VENV)/bin/checkov --directory $$folder --framework terraform \
			--quiet --compact --skip-download --download-external-modules false; \
	done

fmt: $(VENV)/.installed ## Format Terraform and Python to the house style (what `make lint` checks)
	$(TF_ENV) terraform fmt -recursive modules patterns environments examples tests/stacks
	$(VENV)/bin/ruff check --fix --select I localcloud tooling tests lambdas patterns
	$(VENV)/bin/ruff format localcloud tooling tests lambdas patterns

lint: $(VENV)/.installed ## Check formatting, lint, generated docs and terraform validate without changing files
	$(TF_ENV) terraform fmt -check -recursive modules patterns environments examples tests/stacks
	$(VENV)/bin/ruff check localcloud tooling tests lambdas patterns
	$(VENV)/bin/ruff format --check localcloud tooling tests lambdas patterns
	$(VENV)/bin/mypy --strict tooling
	@# Each Lambda package is a top-level package of its own folder; the shared helpers are lambdas/shared.
	MYPYPATH=$$(ls -d lambdas/*/ | tr '\n' ':') $(VENV)/bin/mypy --strict $$(ls -d lambdas/*/*/ | grep -v __pycache__)
	$(PY) -m tooling.docs --check
	$(PY) -m tooling.validate

# The pictures need Graphviz's `dot` (Debian package graphviz): `make docs` and a scaffolded pattern's picture.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# The front-end patterns' proofs open their pages in a real headless browser (Selenium drives it).
chromium:
	@{ command -v chromium >/dev/null && command -v chromedriver >/dev/null; } || { \
		echo "installing Chromium (Debian packages chromium, chromium-driver) for the front ends' browser tests"; \
		$(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; }; }

graphviz:
	@command -v dot >/dev/null || { echo "installing Graphviz (Debian package graphviz) to draw the pictures"; \
		$(SUDO) apt-get install -y -qq graphviz >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq graphviz >/dev/null; }; }

pattern: $(VENV)/.installed graphviz ## Scaffold a new pattern: make pattern NAME=spa (ID=, GROUP=, CATALOG= if not planned)
	@test -n "$(NAME)" || { echo "usage: make pattern NAME=<name> [ID=P34 GROUP=B CATALOG='the idea']"; exit 2; }
	$(PY) -m tooling.scaffold $(NAME) $(if $(ID),--id $(ID),) $(if $(GROUP),--group $(GROUP),) $(if $(CATALOG),--catalog "$(CATALOG)",)
	$(PY) -m tooling.docs

docs: $(VENV)/.installed graphviz ## Regenerate module docs: architecture pictures (from the resources), inputs and outputs
	$(PY) -m tooling.docs

localcloud-start: $(VENV)/.installed $(RUNTIME_VENV)/.installed lambda-runtimes ## Start the local cloud on 127.0.0.1:$(LOCALCLOUD_PORT)
	$(VENV)/bin/localcloud start --port $(LOCALCLOUD_PORT)

localcloud-stop: $(VENV)/.installed ## Stop the local cloud
	$(VENV)/bin/localcloud stop --port $(LOCALCLOUD_PORT)

localcloud-status: $(VENV)/.installed ## Is the local cloud running?
	$(VENV)/bin/localcloud status --port $(LOCALCLOUD_PORT)

up: build localcloud-start ## Build, start the local cloud, apply environments/local, smoke-test each pattern
	@start=$$(date +%s); $(PY) -m tooling.up --port $(LOCALCLOUD_PORT); echo "make up took $$(( $$(date +%s) - start )) s after the build"

rehearse: build localcloud-start ## Apply an environment's own settings (ENV=prod|staging|dev) to the local cloud, smoke every pattern, tear down
	@start=$$(date +%s); $(PY) -m tooling.rehearse --env $(ENV) --port $(LOCALCLOUD_PORT); status=$$?; echo "make rehearse took $$(( $$(date +%s) - start )) s after the build"; exit $$status

down: localcloud-stop ## Stop the local cloud (its state goes with it)
	rm -f environments/local/terraform.tfstate environments/local/terraform.tfstate.backup

TF_ENV = TF_CLI_CONFIG_FILE=$$($(PY) -m tooling.terraform cli-config) TF_IN_AUTOMATION=1

plan: build ## terraform plan of environments/$(ENV) in your AWS account (BACKEND=local: no state bucket needed)
	$(PY) -m tooling.environment plan --env $(ENV) --backend $(BACKEND)

apply: build ## terraform apply of environments/$(ENV) (asks for confirmation; state in its S3 backend)
	$(PY) -m tooling.environment apply --env $(ENV) --backend $(BACKEND)

destroy: $(VENV)/.installed ## terraform destroy of environments/$(ENV) (asks for confirmation)
	$(PY) -m tooling.environment destroy --env $(ENV) --backend $(BACKEND)

upgrade-check: $(VENV)/.installed build ## What upgrading an applied environment from a release changes: make upgrade-check FROM=v0.3.0 [ENV=local]
	@test -n "$(FROM)" || { echo "usage: make upgrade-check FROM=<release tag or commit> [ENV=local]"; exit 2; }
	$(PY) -m tooling.upgrade_check --from $(FROM) --env $(if $(filter-out dev,$(ENV)),$(ENV),local)

chaos: install build ## Each pattern's promise under load with faults injected; a table of what held (CHAOS_SCALE=10 for more load)
	rm -rf build/chaos
	CHAOS_SCALE=$(CHAOS_SCALE) $(PYTEST) -m chaos
	$(PY) -m tooling.chaos

bench: $(VENV)/.installed $(RUNTIME_VENV)/.installed lambda-runtimes build ## Measure local invoke latency; results in build/bench/
	$(PY) -m tooling.bench

clean: ## Remove build output, virtualenvs and local cloud state
	rm -rf build .venv .venv-lambda-runtime .lambda-runtimes .venv-checkov .localcloud .pytest_cache
