import pytest

from tests.factories import AnalystFactory, CoordinatorFactory, InterviewerFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def interviewer(db):
    return InterviewerFactory()


@pytest.fixture
def partner(db):
    return InterviewerFactory()


@pytest.fixture
def analyst(db):
    return AnalystFactory()


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory()


@pytest.fixture
def reference_data(transactional_db):
    """Tests that need real commits (the browser tests, backups) flush the database after
    each one, reference data included: put it back (sites, consent v1, roles, codebook)."""
    from django.apps import apps

    from interviews.reference_data import (
        ADDED_PERMISSIONS,
        create_roles,
        grant_permissions,
        seed_sites_and_consent,
    )
    from themes.reference_data import seed_codebook

    seed_sites_and_consent(apps)
    seed_codebook(apps)
    create_roles(apps)
    grant_permissions(apps, ADDED_PERMISSIONS)
