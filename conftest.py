import os

import pytest

# Real-browser fixtures (`browser`, `page`) for tests marked `browser`.
pytest_plugins = ["sikumi.core.tests.browser"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside it unless told that this is safe (it is: one thread, no real async code).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data every test may use, loaded once per test database: the organisation,
    Depok's regions with boundaries, and the Depok Renstra. Tests run in transactions that roll
    back, so this stays; the fixtures below reload it when a transactional test flushed it."""
    from sikumi.accounts.services import organisation_load
    from sikumi.core.testing import load_depok_regions
    from sikumi.plans.loader import load_plan

    with django_db_blocker.unblock():
        organisation_load()
        load_depok_regions()
        load_plan()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    """Background tasks run inline in tests; uploads go to a temporary folder."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def personas(db):
    from sikumi.core.testing import make_personas

    return make_personas()


@pytest.fixture
def depok(db):
    from sikumi.core.testing import load_depok_regions

    load_depok_regions()


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api_for():
    from rest_framework.test import APIClient

    def login(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return login
