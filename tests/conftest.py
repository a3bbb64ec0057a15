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
