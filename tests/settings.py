"""Putright's settings for the test suite: the real settings with a fixed key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-real-installation")

from putright.settings import *  # noqa: E402,F403
from putright.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Serve static files from the finders (node_modules and putright/static) without collectstatic.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment]
# Tasks are recorded, not run: a test that needs the worker runs it (tests/test_worker.py and others).
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
