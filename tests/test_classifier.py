"""The triage classifier: trained from the corpus, stored with skops, loaded only if trusted."""

import pytest
import skops.io as sio

from app import store
from app.models import TrainingDataError, load_active_model, read_labelled_letters
from app.taxonomy import load_taxonomy
from classifiers.classification import TriageModel
from classifiers.features import letter_features


def test_corpus_has_at_least_fifteen_letters_per_topic(taxonomy):
    from app.config import PROJECT_ROOT

    letters = read_labelled_letters(PROJECT_ROOT / "corpus" / "letters", taxonomy)
    for topic in taxonomy.ids("topics"):
        assert sum(letter["topic"] == topic for letter in letters) >= 15, topic


def test_trained_model_round_trips_and_classifies(trained_db):
    version, model = load_active_model(trained_db)
    assert version == "v1"
    text = (
        "Dear Minister, the magistrates court in our town is to close and everyone with a hearing will have "
        "to travel forty miles to the nearest courthouse. Court listings are already months behind and "
        "jurors wait all day. Please keep our court open."
    )
    prediction = model.predict([letter_features(text)])[0]
    assert prediction["topic"].label == "courts-and-tribunals"
    assert 0 < prediction["topic"].confidence <= 1
    assert len(prediction["topic"].alternatives) == 2
    assert prediction["topic"].evidence
    assert TriageModel.from_bytes(model.to_bytes()).predict([letter_features(text)])[0]["topic"].label == (
        "courts-and-tribunals"
    )


def test_a_model_holding_untrusted_types_is_refused():
    data = sio.dumps({"format": 1, "danger": TrainingDataError("x")})
    with pytest.raises(ValueError, match="does not trust"):
        TriageModel.from_bytes(data)


def test_bad_training_label_names_the_file_and_line(tmp_path):
    from app.config import PROJECT_ROOT

    (tmp_path / "x.jsonl").write_text('{"text": "a", "topic": "nonsense", "concern": "opposes-policy"}\n')
    with pytest.raises(TrainingDataError, match=r"x\.jsonl line 1: unknown topic 'nonsense'"):
        read_labelled_letters(tmp_path, load_taxonomy(PROJECT_ROOT / "corpus" / "taxonomy.yaml"))


def test_model_versions_are_listed_with_metrics(trained_db):
    [row] = store.list_models(trained_db)
    assert row["active"] is True
    assert 0 < row["metrics"]["tasks"]["topic"]["macro_f1"] <= 1
