"""Search: words of the letter with filters, references that open the case, pages of results."""

from __future__ import annotations

import hashlib
import re

import pytest

from app import store
from app.store.search import fts_query
from tests.conftest import SEED_LETTER
from tests.web_helpers import USERS, sign_in

PRISON_LETTER = (
    "Dear David\n\nI am writing on behalf of my constituent about her son, who was recalled to prison "
    "after he missed a probation appointment while in hospital.\n\nYours sincerely\n\nAdrian Sanders MP"
)
COURT_LETTER = (
    "Dear Minister\n\nMy hearing at the county court has been adjourned three times and I have waited "
    "fourteen months for a decision.\n\nYours faithfully\n\nMrs Marion Haslett"
)


def add_case(
    db,
    text: str,
    *,
    name: str = "Ms Ada Reader",
    member_id: str | None = None,
    constituency: str | None = None,
    correspondent_id: int | None = None,
    topic: str | None = None,
    concern: str | None = None,
    stage: str = "draft",
    received: str = "2026-01-05",
    due: str = "2026-02-02",
    answered_on: str | None = None,
) -> dict:
    """Store a letter and its case as an import would (letter, correspondent, case); return the case."""
    now = store.utc_now()
    content = text.encode("utf-8")
    with db.atomic():
        letter_id = store.insert_letter(
            db,
            filename="letter.txt",
            media_type="text/plain",
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            text=text,
            received=received,
            letter_date=None,
            source="test",
            imported_at=now,
            imported_by="pytest",
            language="en",
            metadata={},
            extraction={},
        )
        if correspondent_id is None:
            correspondent = {
                "name": name,
                "type": "mp" if member_id else "member-of-public",
                "constituency": constituency,
                "member_id": member_id,
            }
            correspondent_id = store.insert_correspondent(db, correspondent, now)
        case_type = "MC" if member_id else "TO"
        case_id = store.insert_case(
            db,
            {
                "reference": store.allocate_reference(db, case_type, 100001),
                "case_type": case_type,
                "letter_id": letter_id,
                "correspondent_id": correspondent_id,
                "received": received,
                "due": due,
                "draft_due": due,
                "status": stage,
                "topic": topic,
                "concern": concern,
                "flags": [],
                "answered_on": answered_on,
                "created_at": now,
                "updated_at": now,
            },
        )
    return store.get_case(db, case_id)


@pytest.fixture
def mailbag(trained_db):
    """Three cases: the seed letter from an MEP, a prison recall from an MP, a court delay from the public."""
    seed = add_case(
        trained_db,
        SEED_LETTER.read_text(encoding="utf-8"),
        name="Dr Caroline Lucas MEP",
        member_id="caroline-lucas",
        constituency="South East England",
        topic="data-protection-and-information-rights",
        concern="opposes-policy",
        stage="draft",
        received="2009-04-16",
    )
    prison = add_case(
        trained_db,
        PRISON_LETTER,
        name="Adrian Sanders MP",
        member_id="adrian-sanders",
        constituency="Torbay",
        topic="prisons-and-probation",
        concern="individual-case",
        stage="private-office",
        received="2009-02-04",
    )
    court = add_case(
        trained_db,
        COURT_LETTER,
        name="Mrs Marion Haslett",
        topic="courts-and-tribunals",
        concern="complaint-about-service",
        stage="closed",
        received="2025-10-14",
        answered_on="2025-10-30",
    )
    return {"seed": seed["reference"], "prison": prison["reference"], "court": court["reference"]}


def references(page: str) -> list[str]:
    """The case references linked in a page of results, in order."""
    return re.findall(r'href="/cases/([A-Z]{2}\d{6})"', page)


def test_search_by_words_marks_them_in_a_snippet_and_audits_only_the_count(client, trained_db, mailbag):
    sign_in(client, "drafter")
    response = client.get("/search?q=information+sharing")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert references(page) == [mailbag["seed"]]
    assert "1 case found" in page
    assert "<mark>information</mark> <mark>sharing</mark>" in page
    assert "Dr Caroline Lucas MEP" in page

    # The stemmer joins forms of a word: "recalls" finds "recalled".
    assert references(client.get("/search?q=recalls").get_data(as_text=True)) == [mailbag["prison"]]

    searched = [e for e in trained_db["events"].rows_where("action = 'cases searched'")]
    assert [(e["actor"], e["detail"]) for e in searched] == [
        ("web:drafter", '{"count": 1}'),
        ("web:drafter", '{"count": 1}'),
    ]


def test_filters_combine_with_or_without_words(client, mailbag):
    sign_in(client, "minister")

    def found(query: str) -> list[str]:
        response = client.get("/search?" + query)
        assert response.status_code == 200
        return references(response.get_data(as_text=True))

    assert found("correspondent=lucas") == [mailbag["seed"]]
    assert found("constituency=torbay") == [mailbag["prison"]]
    assert found("topic=courts-and-tribunals") == [mailbag["court"]]
    assert found("concern=individual-case") == [mailbag["prison"]]
    assert found("stage=private-office") == [mailbag["prison"]]
    # Newest first by the date received.
    assert found("received_from=2009-01-01&received_to=2009-12-31") == [mailbag["seed"], mailbag["prison"]]
    assert found("received_from=2009-03-01") == [mailbag["court"], mailbag["seed"]]
    assert found("q=dear&stage=closed") == [mailbag["court"]]
    assert found("q=dear&correspondent=sanders&topic=prisons-and-probation") == [mailbag["prison"]]
    assert found("q=dear&correspondent=sanders&topic=courts-and-tribunals") == []
    # A % or _ typed in a name is a character to find, not a wildcard.
    assert found("correspondent=%25") == []


def test_a_reference_goes_straight_to_its_case(client, mailbag):
    sign_in(client, "private-office")
    reference = mailbag["seed"]
    for query in (f"reference={reference.lower()}", f"q={reference}", f"reference={reference}&q=prison"):
        response = client.get("/search?" + query)
        assert response.status_code == 302
        assert response.headers["Location"] == f"/cases/{reference}"

    unknown = client.get("/search?reference=MC999999&q=information")
    assert unknown.status_code == 200
    assert "No case has the reference MC999999" in unknown.get_data(as_text=True)
    assert references(unknown.get_data(as_text=True)) == []


def test_search_syntax_typed_by_people_never_breaks_the_page(client, mailbag):
    sign_in(client, "officer")
    for typed in (
        '"information sharing',
        "information AND OR NOT",
        "NEAR(information sharing)",
        "text:information -sharing",
        "(information",
        "*information* ^sharing",
        "O'Neill's \\ ; DROP TABLE letters; --",
    ):
        response = client.get("/search", query_string={"q": typed})
        assert response.status_code == 200, typed
    page = client.get("/search", query_string={"q": '"information sharing'}).get_data(as_text=True)
    assert references(page) == [mailbag["seed"]]
    assert references(client.get("/search?q=infor*").get_data(as_text=True)) == [mailbag["seed"]]


def test_words_are_quoted_for_the_full_text_index():
    assert fts_query("information sharing") == '"information" "sharing"'
    assert fts_query('"early release" of prisoners') == '"early release" "of" "prisoners"'
    assert fts_query('unbalanced "quote') == '"unbalanced" "quote"'
    assert fts_query("prison* OR NOT") == '"prison"* "OR" "NOT"'
    assert fts_query("NEAR(a b)") == '"NEAR(a" "b)"'
    assert fts_query('" * - ( ) ') is None
    assert fts_query("") is None


def test_a_search_without_words_or_with_bad_filters_says_what_to_fix(client, mailbag):
    sign_in(client, "officer")
    empty = client.get("/search")
    assert empty.status_code == 200
    assert "found" not in empty.get_data(as_text=True)

    for query, message in (
        ("q=%22+*+-", "Enter words to search for"),
        ("received_from=16/04/2009", "Enter the date as YYYY-MM-DD"),
        ("received_from=2009-05-01&received_to=2009-04-01", "must be the same as or after the first"),
        ("stage=lost", "Choose a stage from the list"),
        ("topic=astrology", "Choose a topic from the list"),
    ):
        response = client.get("/search?" + query)
        assert response.status_code == 400, query
        page = response.get_data(as_text=True)
        assert "There is a problem" in page
        assert message in page


def test_results_come_fifty_to_a_page_newest_first_or_by_best_match(client, trained_db):
    for day in range(1, 56):
        add_case(
            trained_db,
            f"Letter {day} about the early release scheme."
            + (" Release, release, release!" if day == 3 else ""),
            received=f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}",
        )
    sign_in(client, "manager")
    first = client.get("/search?q=release").get_data(as_text=True)
    assert "55 cases found" in first
    assert "Cases 1 to 50" in first
    first_page = references(first)
    assert len(first_page) == 50
    next_url = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client.get(next_url).get_data(as_text=True)
    assert "Cases 51 to 55" in second
    assert len(references(second)) == 5
    assert not set(references(second)) & set(first_page)
    assert 'rel="prev"' in second and 'rel="next"' not in second

    received = [store.get_case_by_reference(trained_db, r)["received"] for r in first_page]
    assert received == sorted(received, reverse=True)
    best = references(client.get("/search?q=release&order=rank").get_data(as_text=True))
    assert best[0] == "TO100003"  # the letter that says "release" four times


def test_every_role_may_search(client):
    for username in USERS:
        sign_in(client, username)
        assert client.get("/search?q=prison").status_code == 200, username
