# perfdoc: `make demo` builds the example, `make test` runs the tests.
# Both install what they need: a venv with perfdoc, and (on Debian/Ubuntu)
# LibreOffice, python3-uno and the fonts through `perfdoc doctor --install`,
# which installs the one list in src/perfdoc/data/system-packages.txt.
# `make test-fast` needs neither apt nor LibreOffice.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
EXAMPLES := examples/sanjia_2024 examples/yunling_2024

.PHONY: install system-deps test-deps demo test test-fast lint schema docs template locale fuzz bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

system-deps: install
	$(BIN)/perfdoc doctor --install >/dev/null

test-deps: install
	$(BIN)/perfdoc doctor --install --with-test-deps >/dev/null

demo: install system-deps
	$(BIN)/perfdoc validate $(EXAMPLES)
	$(BIN)/perfdoc check $(EXAMPLES)
	$(BIN)/perfdoc build $(EXAMPLES)

test: install test-deps
	$(BIN)/pytest

# Everything that needs no LibreOffice: under a minute, no apt.
test-fast: install
	$(BIN)/pytest -m "not libreoffice"

lint: install
	$(BIN)/ruff check src tests bench templates scripts
	$(BIN)/mypy

schema: install
	$(BIN)/perfdoc schema -o schemas

docs: install
	$(BIN)/python scripts/rules_doc.py

template: install
	$(BIN)/python templates/default/make_template.py

locale: install
	$(BIN)/python scripts/i18n.py compile

fuzz: install
	HYPOTHESIS_PROFILE=deep $(BIN)/pytest tests/test_properties.py

bench: install
	bash src/perfdoc/data/install-system-deps.sh --with-bench-deps
	$(BIN)/python bench/run.py

clean:
	rm -rf $(addsuffix /build,$(EXAMPLES)) dist .pytest_cache .mypy_cache .ruff_cache
