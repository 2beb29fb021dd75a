"""Shared fixtures: a database with the demo reference data, and one model trained per session.

Tests never need a downloaded model: the model is trained here from corpus/letters.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app import store
from app.cli import cli
from app.config import PROJECT_ROOT, Settings
from app.models import train_from_corpus
from app.reference import read_reference_data
from app.taxonomy import load_taxonomy

SEED_LETTER = PROJECT_ROOT / "corpus" / "demo_mailbag" / "00-mep-lucas-information-sharing.txt"


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy(PROJECT_ROOT / "corpus" / "taxonomy.yaml")


@pytest.fixture(scope="session")
def reference_data(taxonomy):
    return read_reference_data(PROJECT_ROOT / "corpus" / "reference", taxonomy)


@pytest.fixture(scope="session")
def trained_model_row(tmp_path_factory, taxonomy, reference_data):
    """Train once from the corpus; each test copies the stored model into its own database."""
    db = store.open_db(tmp_path_factory.mktemp("model") / "model.db")
    train_from_corpus(db, PROJECT_ROOT / "corpus" / "letters", taxonomy, "pytest")
    return store.get_model(db, "v1")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db_path=tmp_path / "mincorr.db")


@pytest.fixture
def db(settings, reference_data):
    """A database with the reference data loaded and no model."""
    database = store.open_db(settings.db_path)
    store.load_reference_data(database, reference_data)
    yield database
    database.close()


@pytest.fixture
def trained_db(db, trained_model_row):
    """A database with the reference data and the session's trained model in use."""
    row = trained_model_row
    store.insert_model(
        db,
        version=row["version"],
        artefact=row["artefact"],
        card="(copied for a test)",
        metrics=row["metrics"],
        library_versions=row["library_versions"],
        created_at=row["created_at"],
        created_by="pytest",
    )
    return db


@pytest.fixture
def run_cli(settings):
    """Run `mincorr` against the test database; returns the click Result."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(cli, ["--db", str(settings.db_path), *args], input=input, catch_exceptions=False)

    return run


@pytest.fixture
def app(trained_db, settings):
    """The web app on the test database, with one user per role (see tests/web_helpers.USERS)."""
    from app.users import add_user
    from app.web import create_app
    from tests.web_helpers import USERS

    for username, role in USERS.items():
        add_user(trained_db, username, f"{username}-password", role)
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret"}, settings=settings)


@pytest.fixture
def client(app):
    return app.test_client()


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]
