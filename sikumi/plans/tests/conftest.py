import pytest

from sikumi.plans.loader import DEFAULT_FOLDER, load_plan


@pytest.fixture
def plan(db):
    """The Depok Renstra loaded into the database (organisation units first, for the units)."""
    from sikumi.accounts.services import organisation_load

    organisation_load()
    return load_plan(DEFAULT_FOLDER).plan


@pytest.fixture
def plan_with_personas(personas):
    return load_plan(DEFAULT_FOLDER).plan
