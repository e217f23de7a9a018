# perfdoc: `make demo` builds the example, `make test` runs the tests.
# Both install what they need: a venv with perfdoc, and (on Debian/Ubuntu)
# LibreOffice, python3-uno, poppler and the fonts through apt-get.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
EXAMPLE := examples/sanjia_2024

.PHONY: install system-deps demo test lint schema template locale fuzz bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

system-deps:
	bash scripts/install-system-deps.sh

demo: install system-deps
	$(BIN)/perfdoc validate $(EXAMPLE)
	$(BIN)/perfdoc check $(EXAMPLE)
	$(BIN)/perfdoc build $(EXAMPLE)

test: install system-deps
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench templates scripts
	$(BIN)/mypy

schema: install
	$(BIN)/perfdoc schema -o schemas

template: install
	$(BIN)/python templates/default/make_template.py

locale: install
	$(BIN)/python scripts/i18n.py compile

fuzz: install
	HYPOTHESIS_PROFILE=deep $(BIN)/pytest tests/test_properties.py

bench: install system-deps
	$(BIN)/python bench/run.py

clean:
	rm -rf $(EXAMPLE)/build dist .pytest_cache .mypy_cache .ruff_cache
