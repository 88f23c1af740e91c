"""Settings that matter: a misspelled one would silently do nothing, so they are asserted."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(__file__).resolve().parents[2]


def test_the_portal_speaks_chinese_in_chinas_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True and settings.USE_I18N is True


def test_celery_tasks_are_acknowledged_late_and_given_back_if_a_worker_dies():
    from anping.celery import app

    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_logins_lock_the_account_not_the_address():
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_roster_import_limits_and_formula_escaping_are_set():
    assert settings.IMPORT_MAX_BYTES > 0
    assert settings.IMPORT_EXPORT_USE_TRANSACTIONS is True


def test_production_settings_pass_the_deploy_check_without_a_warning(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "anping.settings",
        "DEBUG": "False",
        "SECRET_KEY": "a-long-production-secret-" + "k3y-" * 12 + "with-enough-variety-9f8e7d",
        "ALLOWED_HOSTS": "anping.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout
