# `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
# Installed first so that pip finds torch already satisfied and never pulls a CUDA build.
TORCH_SPEC ?= torch==2.13.0
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test check install clean gallery

run: $(STAMP)
	$(VENV)/bin/nnlings progress

test: $(STAMP)
	$(PY) -m pytest -n 2 --impl solutions --durations=10
	$(VENV)/bin/nnlings dev check

check: $(STAMP)
	$(VENV)/bin/nnlings dev check

gallery: $(STAMP)
	$(VENV)/bin/nnlings dev gallery

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH_SPEC)"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info
