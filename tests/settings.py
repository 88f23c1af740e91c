"""Settings for the test suite: the production settings (DEBUG off) on PostgreSQL and Redis,
with the few things a test run needs instead of a deployment."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-never-used-in-a-deployment-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/anping")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("REDIS_URL", os.environ["CELERY_BROKER_URL"])
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from anping.settings import *  # noqa: F403
from anping.settings import STORAGES

# No collectstatic in a test run: serve static files from the finders, unhashed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", "/tmp/anping-test-media")
