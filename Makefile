# orgnet: `make demo` sets everything up and runs the main job on the Laoting data; `make test` passes the tests.
PY      := .venv/bin/python
ORGNET  := .venv/bin/orgnet
DATA    := data/laoting
SEED    := 2026

.PHONY: setup demo test lint unit stop notebooks notebooks-html clean

.venv/.installed: pyproject.toml
	bash scripts/setup-system.sh
	test -x $(PY) || python3.11 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

neo4j/.cache/lib/.fetched: neo4j/pom.xml
	mvn -B -q -f neo4j/pom.xml dependency:copy-dependencies
	touch $@

setup: .venv/.installed neo4j/.cache/lib/.fetched

$(DATA)/streets.csv:
	$(ORGNET) generate --profile laoting --seed $(SEED) --out $(DATA)

demo: setup $(DATA)/streets.csv
	$(ORGNET) db start
	$(ORGNET) load $(DATA)
	ORGNET_CONFIG=docs/orgnet.example.toml $(ORGNET) report --format html --out data/laoting-report.html
	ORGNET_CONFIG=docs/orgnet.example.toml $(ORGNET) report --format pdf --out data/laoting-report.pdf
	$(ORGNET) report --format text

lint: setup
	.venv/bin/ruff check graph api loaders tests bench scripts
	.venv/bin/mypy

test: setup lint
	$(PY) -m pytest -q -p no:cacheprovider ; status=$$?; \
	  ORGNET_HOME=$(CURDIR)/.orgnet/test $(ORGNET) db stop >/dev/null 2>&1; exit $$status

unit: setup
	$(PY) -m pytest -q -m "not neo4j and not browser and not notebook"

notebooks: setup $(DATA)/streets.csv
	$(ORGNET) db start
	.venv/bin/jupyter lab --ip=127.0.0.1 --no-browser notebooks

notebooks-html: setup
	$(ORGNET) db start
	ORGNET_DATA=$(CURDIR)/$(DATA) .venv/bin/jupyter nbconvert --to html --execute \
	  --ExecutePreprocessor.timeout=600 --output-dir artifacts/notebooks notebooks/*.ipynb

stop:
	-$(ORGNET) db stop

clean: stop
	rm -rf .venv .orgnet neo4j/.cache data artifacts
