import contextlib
import os

import pytest

# Real-browser fixtures (`browser`, `page`) for tests marked `browser`.
pytest_plugins = ["sikumi.core.tests.browser"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside it unless told that this is safe (it is: one thread, no real async code).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Reference data every test may use: the organisation, Depok's regions with boundaries, and the
# Depok Renstra.
REFERENCE_LOADERS = [
    "sikumi.accounts.services.organisation_load",
    "sikumi.core.testing.load_depok_regions",
    "sikumi.plans.loader.load_plan",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, django_db_blocker, request):
    """Test databases start from a template holding the migrations and the reference data,
    built once and kept (rebuilt when a migration, model, loader or data file changes): see
    sikumi/core/testdb.py. SIKUMI_TEST_TEMPLATE=0 migrates and loads as before."""
    from sikumi.core.testdb import use_template

    capture = request.config.pluginmanager.getplugin("capturemanager")
    # Uncaptured, so that a run building the template says why it takes longer.
    uncaptured = capture.global_and_fixture_disabled() if capture else contextlib.nullcontext()
    with django_db_blocker.unblock(), uncaptured:
        template = use_template(REFERENCE_LOADERS)
    yield
    if template is not None:
        with django_db_blocker.unblock():
            template.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data, loaded once per test database (from a template this finds it there
    and changes nothing). Tests run in transactions that roll back, so this stays; the fixtures
    below reload it when a transactional test flushed it."""
    from django.utils.module_loading import import_string

    with django_db_blocker.unblock():
        for dotted in REFERENCE_LOADERS:
            import_string(dotted)()


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached counts are keyed by a version stored in the
    database, which a test's rollback resets while the cache would keep the old figure."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
