"""Learning from people: corrections are kept, change the case, feed the next model; versions roll back."""

import pytest

from app import store
from tests.conftest import SEED_LETTER, json_lines

pytestmark = pytest.mark.usefixtures("trained_db")


@pytest.fixture
def reference(run_cli):
    [imported] = json_lines(run_cli("import", str(SEED_LETTER), "--received", "2009-04-16", "--json").output)
    return imported["reference"]


def test_show_gives_the_confidence_policy_for_each_label(run_cli, reference):
    [case] = json_lines(run_cli("show", reference, "--json").output)
    for task in ("topic", "concern"):
        label = case[task]
        assert set(label) >= {"label", "confidence", "auto_accepted", "threshold", "alternatives", "evidence"}
        assert label["auto_accepted"] == (label["confidence"] >= label["threshold"])
        assert len(label["alternatives"]) == 2
        assert label["model_version"] == "v1"
    assert case["status"] == (
        "draft" if case["topic"]["auto_accepted"] and case["concern"]["auto_accepted"] else "triage"
    )


def test_a_correction_is_stored_with_who_and_when_and_redrafts(run_cli, reference, trained_db):
    result = run_cli(
        "correct",
        reference,
        "--topic",
        "human-rights-and-constitution",
        "--concern",
        "opposes-policy",
        "--flags",
        "media-or-legal-risk",
        "--reason",
        "about privacy rights",
    )
    assert result.exit_code == 0, result.output
    case = store.get_case_by_reference(trained_db, reference)
    [correction] = store.corrections_for_case(trained_db, case["id"])
    assert correction["topic_before"] == "data-protection-and-information-rights"
    assert correction["topic"] == "human-rights-and-constitution"
    assert correction["corrected_by"].startswith("cli:")
    assert correction["corrected_at"].endswith("Z")
    assert case["status"] == "draft"
    assert case["flags"] == ["media-or-legal-risk"]
    assert [d["version"] for d in store.list_drafts(trained_db, case["id"])] == [1, 2]
    [shown] = json_lines(run_cli("show", reference, "--json").output)
    assert shown["topic"]["corrected"] is True
    assert shown["topic"]["model_version"] == "v1"  # the stored prediction keeps the version that made it


def test_a_wrong_label_in_a_correction_is_refused(run_cli, reference):
    result = run_cli("correct", reference, "--topic", "parking-fines")
    assert result.exit_code != 0
    assert "Unknown topic 'parking-fines'" in result.output


def test_retraining_learns_from_corrections_and_versions_roll_back(run_cli, reference, trained_db):
    run_cli(
        "correct",
        reference,
        "--topic",
        "data-protection-and-information-rights",
        "--concern",
        "opposes-policy",
    )
    trained = run_cli("train")
    assert trained.exit_code == 0, trained.output
    assert "Trained model v2" in trained.output
    assert "1 from corrections made in mincorr" in trained.output
    listing = run_cli("models").output
    assert "v2       yes" in listing
    assert run_cli("models", "use", "v1").exit_code == 0
    assert store.active_model(trained_db)["version"] == "v1"
    assert run_cli("models", "use", "v9").exit_code != 0


def test_a_model_from_an_older_mincorr_is_reported_not_crashed_on(run_cli, trained_db):
    trained_db.execute("UPDATE models SET artefact = ? WHERE version = 'v1'", [b"not a model"])
    result = run_cli("import", str(SEED_LETTER))
    assert result.exit_code != 0
    assert "run `mincorr train`" in result.output
