"""Project-wide promises: migrations in step with models, a clean deploy check, no demo password
in production, no asset from a CDN, and a demo loader that can run twice."""

import os
import re
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from liaison.checks import demo_password_refused_in_production
from liaison.models import DocumentCounter, LedgerEntry, Letter, User

BASE_DIR = Path(settings.BASE_DIR)


def production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SQLITE_TEST", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="liaison.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="fylink.liuzhou.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://fylink.liuzhou.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        REDIS_URL="",
    )
    env.update(extra)
    return env


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.django_db
def test_models_and_migrations_are_in_step():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit:
        pytest.fail(f"makemigrations --check found model changes without a migration:\n{out.getvalue()}")
        raise AssertionError from exit


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = manage("check", env=production_env(tmp_path, SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_demo_password_is_refused_by_the_system_check_in_production(world):
    with override_settings(DEBUG=False):
        errors = [e for e in checks.run_checks(tags=[checks.Tags.security]) if e.id == "liaison.E001"]
    assert len(errors) == 1 and errors[0].level == checks.ERROR
    assert "office" in errors[0].msg and "admin" in errors[0].msg
    # The embedded (DEBUG) setup is where the demo password belongs.
    with override_settings(DEBUG=True):
        assert demo_password_refused_in_production() == []
    # Once every demo account has its own password (or is disabled), production may start.
    for user in User.objects.filter(username__in=[u.username for u in world.values()]):
        if user.username == "office":
            user.is_active = False
        else:
            user.set_password(secrets.token_urlsafe(16))
        user.save()
    with override_settings(DEBUG=False):
        assert demo_password_refused_in_production() == []


@pytest.mark.django_db
def test_load_demo_refuses_production_without_force():
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_goes_through_the_services(django_capture_on_commit_callbacks, monkeypatch):
    # Rendering itself is tested in test_pdf.py; here a stand-in keeps the suite fast.
    monkeypatch.setattr("liaison.pdf.render_letter", lambda letter: b"%PDF-1.7 demo " + letter.doc_number.encode())
    out = StringIO()
    # pytest-django runs tests with DEBUG off, the setting load_demo refuses without --force.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--force", stdout=out)
    counts = (
        Letter.objects.count(),
        LedgerEntry.objects.count(),
        DocumentCounter.objects.count(),
        User.objects.count(),
    )
    issued = Letter.objects.filter(status=Letter.Status.ISSUED)
    assert issued.count() >= 8
    assert all(letter.doc_number and letter.pdf_sha256 for letter in issued)
    assert set(LedgerEntry.objects.values_list("status", flat=True)) >= {"open", "overdue", "done"}
    assert Letter.objects.filter(status=Letter.Status.PENDING).exists()
    # The logins table names every demo account and the password.
    text = out.getvalue()
    assert settings.DEMO_PASSWORD in text and "court_head" in text and "柳州市中级人民法院" in text
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--force", "--quiet", stdout=StringIO())
    again = (Letter.objects.count(), LedgerEntry.objects.count(), DocumentCounter.objects.count(), User.objects.count())
    assert again == counts


@pytest.mark.django_db
def test_setup_schedules_is_idempotent():
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    call_command("setup_schedules", stdout=StringIO())
    call_command("setup_schedules", stdout=StringIO())
    task = PeriodicTask.objects.get(task="liaison.tasks.sweep_deadlines")
    assert PeriodicTask.objects.filter(task="liaison.tasks.sweep_deadlines").count() == 1
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("6", "0", "Asia/Shanghai")
    assert task.enabled
    quarterly = PeriodicTask.objects.get(task="suggestions.tasks.draft_periodic_reports")
    assert (quarterly.crontab.day_of_month, quarterly.crontab.month_of_year) == ("1", "1,4,7,10")
    meetings = PeriodicTask.objects.get(task="meetings.tasks.propose_scheduled_meetings")
    assert (meetings.crontab.day_of_month, meetings.crontab.month_of_year) == ("1", "1,4,7,10,12")
    bulletins = PeriodicTask.objects.get(task="indicators.tasks.draft_bulletins")
    assert (bulletins.crontab.day_of_month, bulletins.crontab.month_of_year) == ("5", "1,4,7,10")
    annual = PeriodicTask.objects.get(task="indicators.tasks.draft_annual_reports")
    assert (annual.crontab.day_of_month, annual.crontab.month_of_year) == ("10", "1")
    purge = PeriodicTask.objects.get(task="liaison.tasks.purge_idempotency_keys")
    assert (purge.crontab.hour, purge.crontab.minute) == ("3", "30")
    assert PeriodicTask.objects.count() == 8
    # Tasks at the same time share one crontab row; running the command again adds none.
    assert CrontabSchedule.objects.count() == PeriodicTask.objects.values("crontab").distinct().count()
    # Every scheduled task exists in the Celery app (a renamed task would fail silently at 06:00).
    from liaison.celery import app

    app.loader.import_default_modules()
    assert set(PeriodicTask.objects.values_list("task", flat=True)) <= set(app.tasks)


# ----------------------------------------------------------------------------- no CDN

SKIP_DIRS = {".git", ".venv", "var", "staticfiles", "node_modules", "test-artifacts", "__pycache__", ".pytest_cache"}
# A reference that makes the browser fetch from another host: src/href/action attributes, CSS url()
# and @import, JS import/fetch of absolute URLs. XML namespaces (xmlns="http://www.w3.org/…") are fine.
REMOTE_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:\bimport\s*(?:[\w{}*\s,]+from\s*)?["'](?:https?:)?//)""",
    re.IGNORECASE,
)
CDN_HOSTS = re.compile(
    r"(cdn\.|cdnjs|jsdelivr|unpkg|googleapis|gstatic|bootcdn|staticfile\.org|bootstrapcdn|cloudflare)", re.IGNORECASE
)


def project_asset_files():
    for root, dirs, files in os.walk(BASE_DIR):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        rel = Path(root).relative_to(BASE_DIR)
        in_templates = "templates" in rel.parts
        in_static = rel.parts[:1] == ("static",) or "static" in rel.parts
        if not (in_templates or in_static):
            continue
        for name in files:
            if name.endswith((".html", ".txt", ".css", ".js", ".mjs", ".svg", ".xml")):
                yield Path(root) / name


def test_templates_and_static_files_reference_no_remote_host():
    offenders = []
    files = list(project_asset_files())
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in REMOTE_REFERENCE.finditer(text):
            offenders.append(f"{path.relative_to(BASE_DIR)}: {text[match.start() : match.start() + 80]!r}")
        if path.suffix in (".html", ".txt", ".css"):
            for line in text.splitlines():
                if CDN_HOSTS.search(line) and re.search(r"https?://|//[\w.-]+\.\w", line):
                    offenders.append(f"{path.relative_to(BASE_DIR)}: {line.strip()[:80]!r}")
    assert files, "no templates or static files found"
    assert offenders == [], "remote assets:\n" + "\n".join(offenders)
