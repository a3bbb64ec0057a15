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
    each one, reference data included: put it back (sites, consent v1, roles, codebook, and
    the evaluation loneliness-2018 as its migration seeds it)."""
    import importlib

    from django.apps import apps

    from interviews.reference_data import create_roles, seed_sites_and_consent
    from themes.reference_data import seed_codebook

    seed_sites_and_consent(apps)
    seed_codebook(apps)
    create_roles(apps)
    if not apps.get_model("interviews", "Evaluation").objects.exists():
        seed = importlib.import_module("interviews.migrations.0010_seed_loneliness_2018")
        seed.seed_loneliness(apps, None)


@pytest.fixture(autouse=True)
def _import_files_apart(settings, tmp_path_factory):
    """Each test keeps the imports waiting for confirmation in a folder of its own (made only
    when a file is saved), never in the project's."""
    from uuid import uuid4

    settings.IMPORT_DIR = str(tmp_path_factory.getbasetemp() / f"imports-{uuid4().hex}")
