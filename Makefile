# The two commands of the README: `make run` (demo on 127.0.0.1:5000) and `make test` (the whole suite).
VENV   ?= .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app support
DOMAINS = $(sort $(basename $(notdir $(wildcard support/translations/sv/LC_MESSAGES/*.po))))

.PHONY: run test setup test-setup system-deps translations clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

setup: $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e .
	$(MAKE) translations

test-setup: $(VENV)/bin/python system-deps
	$(VENV)/bin/pip install -q -e '.[test]'
	$(MAKE) translations
	[ -f .cache/axe/node_modules/axe-core/axe.min.js ] || npm install --silent --no-save --prefix .cache/axe axe-core@4.14.1

# Debian packages the tests drive for real: Chromium, Dovecot (IMAP), PostgreSQL.
system-deps:
	sh scripts/install-system-deps.sh

translations:
	$(VENV)/bin/pybabel -q compile -d support/translations -D "$(DOMAINS)"

run: setup
	mkdir -p instance
	[ -f instance/config.py ] || $(PY) -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}'); \
		print('SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = False  # the demo serves plain HTTP on loopback')" \
		> instance/config.py
	$(FLASK) db upgrade
	$(FLASK) demo seed
	$(FLASK) run --host 127.0.0.1 --port 5000

# the whole suite on SQLite (browser tests included), then again on a throwaway PostgreSQL cluster
test: test-setup
	$(VENV)/bin/pytest -q
	TEST_DATABASE=postgresql $(VENV)/bin/pytest -q -p no:playwright --ignore=tests/e2e

clean:
	rm -rf $(VENV) .cache instance/*.db
