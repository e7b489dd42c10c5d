# 府院联动 portal. The two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000
REDIS_URL_DEFAULT := redis://127.0.0.1:6379/0
# Worker tests purge their queues: by default they use a Redis database of their own.
REDIS_URL_TEST := redis://127.0.0.1:6379/15
# Tests that start other processes (a worker, threads) need a test database they can open:
# PostgreSQL (DATABASE_URL), or SQLite in this file instead of the default in-memory one.
SQLITE_TEST_FILE := $(CURDIR)/var/test-processes.sqlite3

# What WeasyPrint (letter PDFs) and the tests need from Debian (see STACK.md).
SYSTEM_PACKAGES := fontconfig fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils gettext

.PHONY: help run test test-browser test-celery test-reliability test-all lint format \
        sysdeps venv migrate demo schedules worker beat clean check-deploy bench

help:
	@echo "make run               安装依赖、迁移数据库、载入演示数据，在 http://$(HOST):$(PORT)/ 启动门户"
	@echo "make test              运行默认测试集（SQLite；设置 DATABASE_URL 可改用 PostgreSQL）"
	@echo "make test-browser      Playwright 浏览器测试（Debian 的 Chromium）"
	@echo "make test-celery       真实 Celery worker + Redis 的测试（REDIS_URL，默认 $(REDIS_URL_TEST)）"
	@echo "make test-reliability  可靠性测试（较慢）"
	@echo "make lint              ruff check + ruff format --check"
	@echo "make check-deploy      check --deploy（生产设置）、makemigrations --check、docker-compose config -q"
	@echo "make bench             20 万件案件规模的性能基准（PostgreSQL + gunicorn + wrk，见 bench/）"
	@echo "make worker / beat     在本机启动 Celery worker / beat（需要 REDIS_URL）"

# ----------------------------------------------------------------------------- bootstrap

# System packages: installed with apt-get when missing and running as root; otherwise
# the command to run is printed and the build stops.
sysdeps:
	@command -v dpkg-query >/dev/null 2>&1 || { echo "（非 Debian 系统：请自行安装 Pango、HarfBuzz subset、Noto CJK 字体）"; exit 0; }; \
	missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if ! command -v python3.11 >/dev/null 2>&1 && ! command -v python3 >/dev/null 2>&1; then missing="$$missing python3"; fi; \
	if [ ! -x "$(PY)" ]; then \
	  py=$$(command -v python3.11 || command -v python3 || true); \
	  if [ -z "$$py" ] || ! "$$py" -c "import ensurepip, venv" >/dev/null 2>&1; then missing="$$missing python3-venv"; fi; \
	fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo ">>> apt-get install -y$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends$$missing >/dev/null; \
	else \
	  echo "缺少系统软件包：$$missing"; \
	  echo "请先执行：sudo apt-get update && sudo apt-get install -y$$missing"; \
	  exit 1; \
	fi

$(PY):
	@py=$$(command -v python3.11 || command -v python3); \
	"$$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || echo "注意：$$py 不是 Python 3.11，依赖版本是在 3.11 上验证的。"; \
	echo ">>> $$py -m venv $(VENV)"; \
	"$$py" -m venv $(VENV)

# Reinstall only when requirements.txt changed since the last install.
$(STAMP): requirements.txt | $(PY)
	@echo ">>> 安装 Python 依赖（requirements.txt；首次约 1–3 分钟，以后只在它改变时重装）……"
	@set -o pipefail; $(PY) -m pip install --disable-pip-version-check --progress-bar off -r requirements.txt \
	  | { grep --line-buffered -E "^(Collecting|Successfully|ERROR)" || true; }
	@touch $(STAMP)

venv: sysdeps $(STAMP)
	@mkdir -p var

# ----------------------------------------------------------------------------- the two commands

run: venv
	@echo ">>> [1/5] 数据库迁移（var/db.sqlite3；首次约 20 秒）……"
	@$(PY) manage.py migrate --noinput -v0
	@echo ">>> [2/5] 编译界面翻译（locale/）$$(case "$${DEBUG:-1}" in 0|false|False|no|off) echo '，收集静态文件';; esac)……"
	@if [ -n "$$(ls locale/*/LC_MESSAGES/*.po 2>/dev/null)" ]; then $(PY) manage.py compilemessages -v0 -i .venv -i var -i staticfiles; fi
	@case "$${DEBUG:-1}" in 0|false|False|no|off) $(PY) manage.py collectstatic --noinput -v0;; esac
	@echo ">>> [3/5] 定时任务（每日台账巡检、季度报告）……"
	@$(PY) manage.py setup_schedules
	@echo ">>> [4/5] 演示数据（首次约 1–2 分钟：公文逐件生成 PDF；再次运行不会重复添加）……"
	@LOG_LEVEL=WARNING $(PY) manage.py load_demo
	@echo ">>> [5/5] 启动门户（Ctrl+C 停止）"
	@echo "门户：http://$(HOST):$(PORT)/   接口文档：http://$(HOST):$(PORT)/api/v1/docs/   后台：http://$(HOST):$(PORT)/admin/"
	exec $(PY) manage.py runserver $(HOST):$(PORT) $(RUNSERVER_ARGS)

# `make test` spreads the tests over the machine's cores with pytest-xdist (one worker per core,
# at most 4; each worker has its own test database and media directory). PYTEST_WORKERS=0 runs
# them in this process. pytest exits 5 when it collects no tests, which fails the build.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); if [ $$n -gt 4 ]; then n=4; elif [ $$n -lt 2 ]; then n=0; fi; echo $$n)
test: venv
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# ----------------------------------------------------------------------------- other suites
# These start processes of their own (a Celery worker, a browser) and run serially.

test-browser: venv
	@if [ ! -d tests/browser ]; then echo "tests/browser 不存在：没有浏览器测试。"; exit 0; fi; \
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser tests/browser $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "没有收集到浏览器测试。"; exit 0; fi; exit $$rc

test-celery: venv
	REDIS_URL="$${REDIS_URL:-$(REDIS_URL_TEST)}" SQLITE_TEST_NAME="$(SQLITE_TEST_FILE)" \
	  $(PY) -m pytest -m celery_worker $(PYTEST_ARGS)

test-reliability: venv
	REDIS_URL="$${REDIS_URL:-$(REDIS_URL_TEST)}" SQLITE_TEST_NAME="$(SQLITE_TEST_FILE)" \
	  $(PY) -m pytest -m slow $(PYTEST_ARGS)

test-all: test test-celery test-reliability test-browser

# Production settings (DEBUG=0, a fresh random key) against an empty database, so the
# demo-password check (liaison.E001) judges the code, not this machine's demo data.
DEPLOY_ENV := DEBUG=0 ALLOWED_HOSTS=fylink.example.gov.cn CSRF_TRUSTED_ORIGINS=https://fylink.example.gov.cn \
  DATABASE_URL=sqlite:///$(CURDIR)/var/check-deploy.sqlite3
check-deploy: venv
	@rm -f var/check-deploy.sqlite3
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') $(DEPLOY_ENV) \
	  $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	@command -v docker-compose >/dev/null || { echo "docker-compose 未安装：apt-get install docker-compose"; exit 1; }
	SECRET_KEY=check POSTGRES_PASSWORD=check docker-compose config -q && echo "docker-compose.yml: valid"
	@rm -f var/check-deploy.sqlite3

# The 200,000-case benchmark (PostgreSQL, gunicorn, wrk): see bench/ and bench/RESULTS.md.
bench: venv
	$(MAKE) -C bench bench

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: venv
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# ----------------------------------------------------------------------------- by hand

migrate: venv
	$(PY) manage.py migrate --noinput

demo: venv
	$(PY) manage.py load_demo

schedules: venv
	$(PY) manage.py setup_schedules

worker: venv
	REDIS_URL="$${REDIS_URL:-$(REDIS_URL_DEFAULT)}" $(VENV)/bin/celery -A liaison worker -Q celery,pdf -l INFO

beat: venv
	REDIS_URL="$${REDIS_URL:-$(REDIS_URL_DEFAULT)}" $(VENV)/bin/celery -A liaison beat -l INFO

clean:
	rm -rf staticfiles .pytest_cache .ruff_cache var/test-processes.sqlite3* var/test-media var/test-media-gw* test-artifacts
