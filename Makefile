# Huế public-service assistant. `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MODEL := models/hue.tar.gz
SPACY_VI := var/spacy_vi/meta.json
# The browser tests' axe-core, from npm (pinned in tests/browser/package-lock.json).
AXE := var/node/node_modules/axe-core/axe.min.js
SEEDED := var/.seeded-$(shell echo "$${DATABASE_URL:-default}" | md5sum | cut -c1-8)
# Rasa 3.6 supports Python <= 3.10. Found on PATH or in pyenv; override with `make PYTHON310=/path/to/python3.10`.
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
# The model depends on the data, the custom NLU components and the text tables they read.
TRAINING_INPUTS := config.yml domain.yml knowledge/text.py knowledge/data/abbreviations.yml \
	$(shell find data bot/rasa/nlu -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null)

export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help run test setup python db catalogue lookups check-lookups train validate bench clean browser-deps

help: ## Show this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: setup db catalogue $(MODEL) ## Set up, train if needed, start everything and print the URL (Ctrl-C stops). CATALOGUE="<file> <file>" imports them first (either portal format)
	$(PY) -m bot.stack --model $(MODEL)

catalogue: db
	@if [ -n "$(CATALOGUE)" ]; then \
	  $(PY) -m knowledge import-catalogue $(CATALOGUE) && $(PY) -m knowledge lookups; fi

test: setup $(MODEL) browser-deps ## Set up if needed and run every test (unit, Rasa data and stories, end to end, browser)
	$(PY) -m pytest

# Never fails: where something cannot be installed, the browser tests skip and say what is missing.
browser-deps: $(VENV)/.installed ## Install what the browser tests need when missing: Debian's chromium (apt-get, as root) and axe-core (npm, into var/node/)
	@if ! command -v chromium >/dev/null 2>&1 && [ -z "$$CHROMIUM" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests (apt-get)…"; \
	    apt-get install -y -q chromium >/dev/null 2>&1 \
	      || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } \
	      || echo "Could not install chromium: the browser tests will be skipped."; \
	  else \
	    echo "chromium is missing (as root: apt-get install -y chromium, or CHROMIUM=/path): the browser tests will be skipped."; \
	  fi; fi
	@$(MAKE) --no-print-directory -s $(AXE) || echo "Could not install axe-core from npm: the browser tests will be skipped."

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing (apt-get install -y npm)."; exit 1; }
	@mkdir -p var/node && cp tests/browser/package.json tests/browser/package-lock.json var/node/
	npm ci --prefix var/node --no-audit --no-fund --loglevel=error
	@touch $@

setup: python $(VENV)/.installed $(SPACY_VI) ## Create .venv with pinned dependencies and the spaCy Vietnamese pipeline

python:
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 is required (Rasa 3.6 runs on Python <= 3.10; see .python-version) and was not found."; \
	  echo "Install it, for example:  pyenv install 3.10  (https://github.com/pyenv/pyenv),"; \
	  echo "or  uv python install 3.10,  or your distribution's python3.10 package;"; \
	  echo "then run this command again, or pass  make PYTHON310=/path/to/python3.10 ..."; \
	  exit 1; fi

$(VENV)/.installed: requirements.txt constraints.txt
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then rm -rf $(VENV); fi
	@[ -x $(PY) ] || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@echo "Installing pinned dependencies (a few minutes the first time)…"
	$(PY) -m pip install --progress-bar off -r requirements.txt -c constraints.txt
	@touch $@

$(SPACY_VI): $(VENV)/.installed
	$(PY) -m bot.rasa.nlu.spacy_model var/spacy_vi

db: setup $(SEEDED) ## Create or upgrade the knowledge base and load the seed catalogue and wards

$(SEEDED): $(wildcard knowledge/seed/*.yml knowledge/data/*.yml knowledge/migrations/versions/*.py) | $(VENV)/.installed
	$(PY) -m knowledge init
	$(PY) -m knowledge seed
	@touch $@

lookups: db ## Regenerate the NLU lookup tables (data/nlu/lookups) from the knowledge base
	$(PY) -m knowledge lookups

check-lookups: db ## Fail when the lookup tables are out of sync with the knowledge base
	$(PY) -m knowledge check-lookups

train: setup $(MODEL) ## Train the Rasa model if config, domain, data or NLU components changed

$(MODEL): $(TRAINING_INPUTS) | $(VENV)/.installed $(SPACY_VI)
	@echo "Training the Rasa model (a few minutes on 2 cores)…"
	$(PY) -m rasa train --force --fixed-model-name hue --out models --quiet
	@touch $@

validate: setup ## Check the Rasa data (domain, NLU, rules, stories)
	$(PY) -m rasa data validate --quiet

bench: setup $(MODEL) ## Run every benchmark: search, speed (with a full training), NLU 5-fold comparison (about 1 h)
	$(PY) -m bench.search.run
	$(PY) -m bench.speed --train
	$(PY) -m bench.nlu.compare

clean: ## Remove the virtualenv, models and local databases
	rm -rf $(VENV) models var results .pytest_cache
