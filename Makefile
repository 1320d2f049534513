# crmlab — the two commands a newcomer needs:
#   make lab    set everything up (first time only) and open the workbook in JupyterLab
#   make test   set everything up (first time only) and run the whole test suite
# Both need only python3 (3.10–3.12); the environment lives in .venv and is reused.

VENV   ?= .venv
BIN    := $(VENV)/bin
LOCALE ?= zh_CN
# Re-install only when the dependency list or the bootstrap script changes.
DEPS   := pyproject.toml tools/bootstrap.sh

.PHONY: lab test build lint bench clean help

help:
	@echo "make lab    — 打开工作簿 open the workbook in JupyterLab (LOCALE=en for an English UI)"
	@echo "make test   — 运行全部测试 run the whole test suite"
	@echo "make build  — 运行全部笔记本并生成网站 build/site/index.html"
	@echo "make lint   — ruff"
	@echo "make clean  — remove .venv and build/"

$(VENV)/.stamp-lab: $(DEPS)
	CRMLAB_LOCALE=$(LOCALE) bash tools/bootstrap.sh $(VENV) cdnow
	@touch $@

$(VENV)/.stamp-test: $(DEPS)
	CRMLAB_LOCALE=$(LOCALE) bash tools/bootstrap.sh $(VENV) test,cdnow
	@touch $@ $(VENV)/.stamp-lab

lab: $(VENV)/.stamp-lab
	$(BIN)/crmlab lab --locale $(LOCALE)

test: $(VENV)/.stamp-test
	bash tools/ensure_browser.sh
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

build: $(VENV)/.stamp-lab
	$(BIN)/crmlab build

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) build
