import pytest

from interviews.services import sessions as services
from tests.factories import (
    AnalystFactory,
    ConsentRecordFactory,
    CoordinatorFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    complete_session,
)


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

    from interviews import reference_data as interviews_data
    from themes import reference_data as themes_data

    if not apps.get_model("interviews", "Evaluation").objects.exists():
        seed = importlib.import_module("interviews.migrations.0010_seed_loneliness_2018")
        seed.seed_loneliness(apps, None)
    interviews_data.seed_sites_and_consent(apps)
    themes_data.seed_codebook(apps)
    interviews_data.create_roles(apps)
    themes_data.create_roles(apps)


@pytest.fixture
def crisis_care(db):
    """The second evaluation of the tests: the crisis-care example, imported from its workbook
    (being designed)."""
    from interviews.services.evaluations import evaluation_import
    from interviews.workbooks import read_workbook
    from tests.workbook_examples import EXAMPLE

    return evaluation_import(read_workbook(EXAMPLE.read_bytes()), dry_run=False).evaluation


@pytest.fixture(autouse=True)
def _schedules_forgotten():
    """Every test reads schedules afresh: a pinned query count then never depends on which
    test ran before. Pin a page's count with its schedule read (``schedule_of``) first, as a
    running server has it."""
    from interviews.schedules import schedule_forget

    schedule_forget()
    yield
    schedule_forget()


@pytest.fixture
def migrate_to(transactional_db):
    """``migrate_to(targets)`` migrates the test database there and returns the apps of that
    state; afterwards every app is migrated forward again, for the tests that follow."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture(autouse=True)
def _counts_forgotten():
    """Every test counts afresh (themes.counts_cache): a pinned query count then never depends
    on which test ran before."""
    from django.core.cache import caches

    caches["counts"].clear()


@pytest.fixture
def counts_stamp_row(db):
    """The counts stamp's row, as migrations leave it: a test that flushes the database (the
    browser tests' live server) deletes it, and without it nothing is kept (as it should)."""
    import random

    from themes.models import CountsStamp

    if not CountsStamp.objects.exists():
        CountsStamp.objects.create(token=random.getrandbits(53))


@pytest.fixture(autouse=True)
def _import_files_apart(settings, tmp_path_factory):
    """Each test keeps the imports waiting for confirmation in a folder of its own (made only
    when a file is saved), never in the project's."""
    from uuid import uuid4

    settings.IMPORT_DIR = str(tmp_path_factory.getbasetemp() / f"imports-{uuid4().hex}")


# A pair's record with consent, as a draft and as submitted for checking by the partner.
@pytest.fixture
def draft(interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    return session


@pytest.fixture
def submitted(interviewer, partner):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    return services.session_submit(session=session, user=interviewer)
