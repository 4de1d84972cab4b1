# One command runs the default map, one passes the tests; both set up what they need.
#   make run                 # .venv (Python >= 3.12), then sandbox run on maps/ukraine_2023.toml
#   make test                # everything the tests need (browser included), then lint + tests
#   make viz                 # the interactive map and plots in a browser (127.0.0.1:8765)
#   make notebooks           # rewrite and re-execute notebooks/lesson_*.ipynb (about 2 minutes)
# Extra arguments: make run ARGS="--days 90 --set sides.red.quality=0.5"

VENV   ?= .venv
PY     := $(VENV)/bin/python
MAP    ?= maps/ukraine_2023.toml
ARGS   ?=
PYTEST_ARGS ?=
LINTED := $(wildcard sandbox tests benchmarks)

.PHONY: run test lint check viz notebooks bench bench-sweep golden clean

$(VENV)/.core: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.core
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[viz,sweep,test]"
	@touch $@

run: $(VENV)/.core
	$(PY) -m sandbox run $(MAP) $(ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy

test: $(VENV)/.dev lint
	@if [ -x scripts/prepare-viz ]; then scripts/prepare-viz $(PY); fi
	$(PY) -m pytest $(PYTEST_ARGS)

# The lesson notebooks, written and executed (outputs committed; tests/test_notebooks.py checks
# they are current). Open them with JupyterLab: pip install -e ".[notebook]"
notebooks: $(VENV)/.dev
	$(PY) -m sandbox.lessons.notebooks --execute

# Benchmarks: default map, synthetic 1k/10k/100k maps, per-agent reference, numpy floor.
bench: $(VENV)/.dev
	$(PY) -m benchmarks.bench $(ARGS)

# Sweep throughput on the default map at 1 and 2 workers (90-day runs, record="daily").
bench-sweep: $(VENV)/.dev
	$(PY) -m benchmarks.sweep_bench $(ARGS)

# The browser app (Mesa SolaraViz) on http://127.0.0.1:8765/ : make viz [MAP=...] [ARGS="--port 9000"]
viz: $(VENV)/.dev
	@if [ -x scripts/prepare-viz ]; then scripts/prepare-viz $(PY); fi
	$(PY) -m sandbox viz $(MAP) $(ARGS)

# Regenerate the golden baselines of the shipped maps: only on purpose.
golden: $(VENV)/.dev
	$(PY) -m tests.golden --regenerate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
