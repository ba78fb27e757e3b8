# orgnet: `make demo` sets everything up and runs the main job on the Laoting data; `make test` passes the tests.
PY      := .venv/bin/python
ORGNET  := .venv/bin/orgnet
DATA    := data/laoting
SEED    := 2026
SERIES  := data/laoting-months
STEP    := @bash scripts/step.sh
PIP     := PYTHONWARNINGS=ignore $(PY) -m pip install -q --disable-pip-version-check

.PHONY: setup demo test lint unit docs stop notebooks notebooks-html clean

.venv/.installed: pyproject.toml
	$(STEP) "系统软件包 / Debian packages (Java 17, Maven, Chromium, a CJK font)" bash scripts/setup-system.sh
	@test -x $(PY) || python3.11 -m venv .venv
	$(STEP) --quiet "Python 软件包装入 .venv / Python packages into .venv" \
	  sh -c "$(PIP) --upgrade pip && $(PIP) -e '.[dev]'"
	@$(PY) -m compileall -q graph api loaders  # byte-code ahead, as pip does for installed packages: a faster start
	@touch $@

neo4j/.cache/lib/.fetched: neo4j/pom.xml
	$(STEP) --quiet "Neo4j 5.26 的 jar 包（Maven）/ Neo4j 5.26's jars (Maven)" \
	  mvn -B -q -f neo4j/pom.xml dependency:copy-dependencies
	@touch $@

setup: .venv/.installed neo4j/.cache/lib/.fetched

$(DATA)/streets.csv:
	$(STEP) "生成乐亭参考数据 / generating the Laoting data set" $(ORGNET) generate --profile laoting --seed $(SEED) --out $(DATA)

$(SERIES)/2026-11/streets.csv:
	$(STEP) "生成乐亭两个月的台账 / two months of Laoting ledgers" $(ORGNET) generate --profile laoting --seed $(SEED) --months 2 --out $(SERIES)

demo: setup $(SERIES)/2026-11/streets.csv
	$(STEP) "启动 Neo4j / starting Neo4j" $(ORGNET) db start
	$(STEP) "载入上月 / loading last month (2026-10)" $(ORGNET) load $(SERIES)/2026-10
	$(STEP) "载入本月 / loading this month (2026-11)" $(ORGNET) load $(SERIES)/2026-11
	$(STEP) "较上月 / since last month" $(ORGNET) diff
	$(STEP) "HTML 报告 / the HTML report" env ORGNET_CONFIG=docs/orgnet.example.toml $(ORGNET) report --format html --out data/laoting-report.html
	$(STEP) "PDF 报告 / the PDF report" env ORGNET_CONFIG=docs/orgnet.example.toml $(ORGNET) report --format pdf --out data/laoting-report.pdf
	$(STEP) "空白点报告 / the gap report" $(ORGNET) report --format text
	@echo "报告 / report: data/laoting-report.html, data/laoting-report.pdf · 停止 Neo4j / stop Neo4j: make stop"

lint: setup
	$(STEP) "ruff" .venv/bin/ruff check -q graph api loaders tests bench scripts
	$(STEP) "mypy" .venv/bin/mypy
	$(STEP) "文档与代码一致 / the documents agree with the code" $(PY) -m api.docs --check

test: setup lint
	$(STEP) "测试（真实 Neo4j、浏览器与笔记本）/ the tests (real Neo4j, browser, notebooks)" \
	  $(PY) -m pytest -q -p no:cacheprovider ; status=$$?; \
	  ORGNET_HOME=$(CURDIR)/.orgnet/test $(ORGNET) db stop >/dev/null 2>&1; exit $$status

docs: setup
	$(PY) -m api.docs

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
	@-$(ORGNET) db stop

clean: stop
	rm -rf .venv .orgnet neo4j/.cache data artifacts
