# The commands the README shows. Each installs what it needs from nothing:
# uv (with pip, if it is missing), then the locked environment.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_ON_PATH := $(shell command -v uv 2>/dev/null)
UV := $(if $(UV_ON_PATH),$(UV_ON_PATH),.tools/bin/uv)
RUN := $(UV) run --frozen

.PHONY: help install browser demo run app demo-web test lint format bench bench-large bench-fields bench-app soak screenshots clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

install: .venv/.synced  ## Install the locked environment into .venv

# Sources with render=true are crawled through Debian's Chromium (scrapy-playwright drives
# it; Playwright's own browser download is not used). Root installs it with apt-get.
CHROMIUM ?= /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

browser:  ## Install Debian's Chromium for rendered sources and the browser tests (apt-get)
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -q && \
		$(SUDO) apt-get install -y -q --no-install-recommends chromium; }
	@$(CHROMIUM) --version 2>/dev/null

demo: install  ## Build the offline demo market and serve the app
	$(RUN) radar demo

run: install  ## One pipeline run over the real catalog (needs the internet)
	$(RUN) radar run --catalog real

app: install  ## Serve the app over the published file
	$(RUN) radar app

demo-web: install  ## Serve the offline demo web
	$(RUN) radar demo-web

test: install browser  ## Run the test suite (offline; browser tests in Debian's Chromium)
	$(RUN) pytest

lint: install  ## ruff lint and format check
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: install  ## ruff fix and format
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

bench: install  ## Benchmarks: the pipeline at market sizes S and M (steps, ratios, memory), the bulk load
	$(RUN) python benchmarks/bench_load.py
	$(RUN) python benchmarks/bench_pipeline.py --size S
	$(RUN) python benchmarks/bench_pipeline.py --size M

bench-fields: install  ## Field accuracy of the page extractors over labelled pages (P/R/F1)
	$(RUN) python benchmarks/bench_fields.py

bench-large: install  ## The pipeline benchmark at size L: 200 competitors, 1,000 technologies (about 15 min)
	$(RUN) python benchmarks/bench_pipeline.py --size L

soak: install  ## Run the demo market 20 times with random faults and kill -9; print what survived
	$(RUN) python benchmarks/soak.py

bench-app: install  ## Per-page script time (cold, warm p50/p95) over the demo's published file
	$(RUN) python benchmarks/bench_app.py

screenshots: install browser  ## Regenerate the README's screenshots (docs/img/) from the demo
	$(RUN) python docs/screenshots.py

clean:  ## Remove built data (landing files, warehouse, published file)
	rm -rf data dbt/target dbt/logs
