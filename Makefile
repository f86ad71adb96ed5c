# tsgen: regenerate bindings, check they are fresh, run the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PACKAGE := openai_realtime

.PHONY: setup generate check test test-styles golden bench upgrade

$(BIN)/tsgen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The TypeScript compiler (reference parser) and the LSP packages, for the differential tests.
tests/tsc/node_modules/.package-lock.json: tests/tsc/package-lock.json
	npm ci --prefix tests/tsc --no-audit --no-fund --loglevel=error

# Declaration packages (@types/node, @types/vscode) the corpus tests convert, installed as users have them.
tests/types/node_modules/.package-lock.json: tests/types/package-lock.json
	npm ci --prefix tests/types --no-audit --no-fund --loglevel=error

setup: $(BIN)/tsgen tests/tsc/node_modules/.package-lock.json tests/types/node_modules/.package-lock.json

generate: setup
	$(BIN)/tsgen generate

check: setup
	$(BIN)/tsgen check

# The whole-process benchmark (many minutes; the pinned peers install under benchmarks/.peers/ on first use):
# writes benchmarks/RESULTS.md. e.g. make bench BENCH_ARGS="--runs 1 --only cold unchanged --no-peers"
bench: setup
	$(BIN)/python benchmarks/generate.py $(BENCH_ARGS)

# Take a new upstream release in one step: make upgrade VERSION=7.59.0 [UPSTREAM=openai] [PARTS="resources/beta/realtime ..."]
# fetches it with npm pack into upstream/ (pinned by its version), writes api-changes-VERSION.md
# beside generated/ (what changed for Python callers, against the committed output, in markdown),
# then regenerates generated/ from the same parts of the tarball (read in memory, never unpacked).
UPSTREAM ?= openai
PARTS ?= resources/beta/realtime resources/shared.d.ts
upgrade: setup
	@test -n "$(VERSION)" || { echo "usage: make upgrade VERSION=x.y.z [UPSTREAM=npm-package] [PARTS=\"paths in the package\"]" >&2; exit 2; }
	mkdir -p upstream
	tgz=upstream/$$(npm pack --silent --pack-destination upstream $(UPSTREAM)@$(VERSION)) && \
	$(BIN)/tsgen generate $(foreach p,$(PARTS),$$tgz/$(p)) -o upstream/generated-$(VERSION) && \
	$(BIN)/tsgen diff generated upstream/generated-$(VERSION) --format markdown > api-changes-$(VERSION).md && \
	$(BIN)/tsgen generate $(foreach p,$(PARTS),$$tgz/$(p)) --diff
	@echo "api-changes-$(VERSION).md written; point [tool.tsgen] input at the new release to keep \`tsgen check\` green" >&2

# Every model type on every corpus for the longest corpus checks (the suite samples the styles
# other than auto: tests/corpora.py style_cases); some minutes more than `make test`.
test-styles: setup
	TSGEN_ALL_STYLES=1 $(BIN)/python -m pytest -q tests/test_corpus.py

golden: setup
	TSGEN_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py -q

test: setup
	$(BIN)/tsgen check
	cd generated && ../$(BIN)/python -m mypy --strict --python-version 3.10 -p $(PACKAGE)
	$(BIN)/python -m pyright --pythonpath $(BIN)/python generated
	$(BIN)/python -m mypy --strict tsgen
	$(BIN)/python -m pytest -q
