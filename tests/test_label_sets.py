"""A department's own label set: train from .csv or .jsonl, classify, evaluate with a report."""

import csv
import json

from app.config import PROJECT_ROOT
from tests.conftest import json_lines


def history(tmp_path):
    """A 'department history' whose label is who wrote: parliamentarian, public or organisation."""
    groups = {
        "mp": "member",
        "peer": "member",
        "mep": "member",
        "devolved-member": "member",
        "member-of-public": "public",
        "organisation": "organisation",
    }
    rows = []
    for path in sorted((PROJECT_ROOT / "corpus" / "letters").glob("*.jsonl"))[:6]:
        for line in path.read_text(encoding="utf-8").splitlines():
            letter = json.loads(line)
            if letter["correspondent_type"] in groups:
                rows.append(
                    {
                        "ref": letter["id"],
                        "body": letter["text"],
                        "team": groups[letter["correspondent_type"]],
                    }
                )
    path = tmp_path / "history.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["ref", "body", "team"])
        writer.writeheader()
        writer.writerows(rows)
    return path, rows


def test_train_classify_and_evaluate_a_label_set_of_your_own(run_cli, tmp_path):
    path, rows = history(tmp_path)
    out = tmp_path / "teams-model"
    trained = run_cli(
        "train", "--corpus", str(path), "--text-field", "body", "--label-field", "team", "--out", str(out)
    )
    assert trained.exit_code == 0, trained.output
    assert {p.name for p in out.iterdir()} == {"model.skops", "MODEL_CARD.md", "metrics.json"}
    assert "macro-F1" in (out / "MODEL_CARD.md").read_text(encoding="utf-8")

    new_letters = tmp_path / "new.jsonl"
    new_letters.write_text(
        "\n".join(json.dumps({"id": r["ref"], "text": r["body"]}) for r in rows[:5]) + "\n", encoding="utf-8"
    )
    results = json_lines(run_cli("classify", "--model", str(out), str(new_letters)).output)
    assert [r["id"] for r in results] == [r["ref"] for r in rows[:5]]
    for result in results:
        assert result["label"] in {"member", "public", "organisation"}
        assert 0 < result["confidence"] <= 1
        assert result["top3"][0]["label"] == result["label"]
        assert len(result["top3"]) == 3

    report = tmp_path / "report.md"
    evaluated = run_cli(
        "evaluate",
        "--corpus",
        str(path),
        "--text-field",
        "body",
        "--label-field",
        "team",
        "--report",
        str(report),
    )
    assert evaluated.exit_code == 0, evaluated.output
    text = report.read_text(encoding="utf-8")
    for heading in (
        "accuracy",
        "macro-F1",
        "expected calibration error",
        "coverage at 95%",
        "coverage at 97%",
        "coverage at 99%",
        "Confusion matrix",
        "| label | precision | recall | F1 |",
    ):
        assert heading in text
    assert json.loads(report.with_suffix(".json").read_text())["datasets"][0]["letters"] == len(rows)


def test_missing_text_field_names_the_record(run_cli, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": 1, "text": "a letter", "label": "x"}\n{"id": 2, "label": "y"}\n', encoding="utf-8"
    )
    result = run_cli("train", "--corpus", str(path), "--out", str(tmp_path / "m"))
    assert result.exit_code != 0
    assert "record 2: no text in field 'text'" in result.output
