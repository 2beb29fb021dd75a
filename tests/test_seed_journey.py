"""The journey behind shared/seeds/reply-MC238555.txt, end to end through the CLI."""

import re

import pytest

from tests.conftest import SEED_LETTER, json_lines

pytestmark = pytest.mark.usefixtures("trained_db")


@pytest.fixture
def seed_case(run_cli):
    result = run_cli("import", str(SEED_LETTER), "--received", "2009-04-16", "--json")
    assert result.exit_code == 0, result.output
    [imported] = json_lines(result.output)
    assert imported["status"] == "created"
    assert re.fullmatch(r"MC\d{6}", imported["reference"])
    assert imported["case_type"] == "MC"
    return imported["reference"]


def test_case_is_due_on_15_may_2009_and_read_correctly(run_cli, seed_case):
    [case] = json_lines(run_cli("show", seed_case, "--json").output)
    assert case["received"] == "2009-04-16"
    assert case["due"] == "2009-05-15"  # Early May bank holiday (4 May 2009) skipped
    assert case["draft_due"] == "2009-04-30"
    assert case["correspondent"] == {
        "name": "Dr Caroline Lucas MEP",
        "type": "mep",
        "constituency": "South East England",
    }
    assert case["on_behalf_of_constituents"] is True
    assert case["addressed_to"]["name"] == "Jacqui Smith"
    assert case["addressed_to"]["department"] == "HO"
    assert case["letter_date"] == "2009-04-14"
    assert case["topic"]["label"] == "data-protection-and-information-rights"
    assert 0 < case["topic"]["confidence"] <= 1
    assert case["concern"]["label"] in {"opposes-policy", "requests-information"}
    assert case["bill"]["id"] == "coroners-and-justice-bill-2008-09"
    assert case["clause"]["number"] == "152"
    assert case["clause"]["status"] == "withdrawn"
    assert case["line_to_take"]["id"] == "cj-bill-information-sharing"
    assert case["answering_minister"]["name"] == "Michael Wills"
    assert case["campaign"] is None


def test_text_draft_holds_every_element_of_the_seed_reply_in_order(run_cli, seed_case):
    draft = run_cli("draft", seed_case, "--format", "text").output
    expected_in_order = [
        "Dr Caroline Lucas MEP\nSuite 58\nThe Hop Exchange\n24 Southwark Street\nLondon SE1 1TY",
        f"Our reference: {seed_case}",
        "\nDear Caroline\n",
        "CORONERS AND JUSTICE BILL – INFORMATION SHARING CLAUSE",
        "Thank you for your letter of 14 April to Jacqui Smith, on behalf of several constituents, "
        "who expressed concern about",
        "passed to the Ministry of Justice, and I am replying as the minister responsible for "
        "data protection.",
        "24 March 2009",
        "I enclose a copy of this letter in case you wish to send it on to your constituents.",
        "MICHAEL WILLS MP",
    ]
    position = 0
    for element in expected_in_order:
        found = draft.find(element, position)
        assert found >= 0, f"missing or out of order: {element!r}\n\n{draft}"
        position = found + len(element)
    assert "withdrawn" in draft or "taken out" in draft
    # The reply date sits between the reference and the salutation.
    between = draft[draft.index("Our reference") : draft.index("Dear Caroline")]
    assert re.search(r"\n\d{1,2} [A-Z][a-z]+ \d{4}\n", between)


def test_a_replayed_letter_is_drafted_as_of_its_own_time(run_cli, monkeypatch):
    # MINCORR_TODAY fixes the working date, as when replaying historical post: the draft carries
    # that date, as the seed reply carries 1 May 2009.
    monkeypatch.setenv("MINCORR_TODAY", "2009-05-01")
    [imported] = json_lines(run_cli("import", str(SEED_LETTER), "--received", "2009-04-16", "--json").output)
    draft = run_cli("draft", imported["reference"]).output
    assert f"Our reference: {imported['reference']}\nYour reference: CL/DP/0914\n\n1 May 2009\n" in draft


def test_word_draft_is_written(run_cli, seed_case, tmp_path):
    import docx

    out = tmp_path / "draft.docx"
    result = run_cli("draft", seed_case, "--format", "docx", "--out", str(out))
    assert result.exit_code == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Ministry of Justice" in text
    assert "Dear Caroline" in text
    assert "MICHAEL WILLS MP" in text


def test_importing_the_same_file_twice_opens_no_second_case(run_cli, seed_case):
    [again] = json_lines(run_cli("import", str(SEED_LETTER), "--json").output)
    assert again["status"] == "duplicate"
    assert again["reference"] == seed_case
    assert len(json_lines(run_cli("cases", "--json").output)) == 1


def test_policy_paragraphs_cite_the_approved_line_version_they_came_from(run_cli, seed_case, trained_db):
    from app import store

    case = store.get_case_by_reference(trained_db, seed_case)
    draft = store.latest_draft(trained_db, case["id"])
    [line] = [line for line in store.lines_to_take(trained_db) if line["id"] == case["line_id"]]
    [version] = [v for v in line["versions"] if v["version"] == case["line_version"]]
    assert version["status"] == "approved" and version["approved_by"]
    assert draft["citations"] == [
        {"line_id": "cj-bill-information-sharing", "version": version["version"], "paragraph": index}
        for index in range(len(version["paragraphs"]))
    ]
    for paragraph in version["paragraphs"]:
        assert paragraph in draft["text"]
