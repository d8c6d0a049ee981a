# Kho. `make run` serves Kho with demo data on SQLite; `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PORT ?= 5000

.PHONY: setup run test lint typecheck migration translations messages demo system-packages clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	touch $@

setup: system-packages $(VENV)/.installed translations
	@mkdir -p instance

# Fonts with Vietnamese glyphs ship in static/fonts; libzbar0 and poppler-utils are needed
# for barcode decoding and PDF checks. Installed when this machine lets us (root with apt).
system-packages:
	@if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  dpkg -s libzbar0 poppler-utils fonts-dejavu-core >/dev/null 2>&1 || \
	  apt-get install -y -q libzbar0 poppler-utils fonts-dejavu-core >/dev/null || \
	  echo "warning: could not install libzbar0 poppler-utils fonts-dejavu-core" >&2; \
	fi

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d translations -f >/dev/null

# Re-extract the msgids (babel.cfg says where) and merge them into every catalogue, keeping
# existing translations; new msgids come in empty and tests/unit/test_translations.py fails until done.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

run: setup
	$(FLASK) init-db
	$(FLASK) user first-admin
	$(FLASK) demo load --if-empty
	$(FLASK) run --port $(PORT)

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy

migration: setup
	$(BIN)/alembic revision --autogenerate -m "$(MSG)"

clean:
	rm -rf $(VENV) instance
