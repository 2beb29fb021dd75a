"""Drafting: salutations, subject lines, dates, and a template a department can override."""

import datetime as dt

import jinja2
import pytest

from app.config import PROJECT_ROOT
from app.drafting import compose_draft, letter_date_phrase, template_environment
from app.drafting.context import name_line, salutation, subject_line

TEMPLATES = PROJECT_ROOT / "letter_templates"


@pytest.mark.parametrize(
    ("correspondent", "parliamentarian", "expected"),
    [
        ({"honorific": "Dr", "given_name": "Caroline", "surname": "Lucas"}, True, "Caroline"),
        ({"honorific": "Mrs", "given_name": "Janet", "surname": "Okafor"}, False, "Mrs Okafor"),
        ({"honorific": "", "given_name": "Sam", "surname": "Peters"}, False, "Sam Peters"),
        ({"honorific": "Mr", "given_name": "J.", "surname": "Gill"}, False, "Mr Gill"),
        ({"peerage": "Lord Ramsbotham", "surname": "Ramsbotham"}, True, "Lord Ramsbotham"),
        ({}, False, "Sir or Madam"),
    ],
)
def test_salutation(correspondent, parliamentarian, expected):
    assert salutation(correspondent, parliamentarian) == expected


def test_name_line_keeps_honorific_and_letters():
    assert name_line(
        {"honorific": "Dr", "given_name": "Caroline", "surname": "Lucas", "post_nominal": "MEP"}
    ) == ("Dr Caroline Lucas MEP")
    assert name_line({"peerage": "Baroness Kennedy of The Shaws"}) == "Baroness Kennedy of The Shaws"


def test_subject_line_names_bill_and_clause_in_capitals():
    bill = {"title": "Coroners and Justice Bill"}
    clause = {"number": "152", "title": "Information sharing", "short_title": "information sharing clause"}
    assert subject_line(bill, clause, None, None) == "CORONERS AND JUSTICE BILL – INFORMATION SHARING CLAUSE"
    assert subject_line(None, None, None, {"name": "Family justice"}) == "FAMILY JUSTICE"


def test_letter_date_phrase_drops_the_year_unless_the_letter_is_old():
    assert letter_date_phrase(dt.date(2009, 4, 14), dt.date(2009, 4, 16)) == "14 April"
    assert letter_date_phrase(dt.date(2008, 3, 2), dt.date(2009, 4, 16)) == "2 March 2008"
    assert letter_date_phrase(None, dt.date(2009, 4, 16)) == ""


def test_a_missing_value_fails_instead_of_printing_an_empty_salutation():
    environment = template_environment(TEMPLATES)
    with pytest.raises(jinja2.UndefinedError):
        compose_draft(environment, "reply_public.txt.j2", {"reply_date": "1 May 2009"})


def test_a_department_template_overrides_the_shipped_one(tmp_path):
    (tmp_path / "reply_public.txt.j2").write_text("Our own house style for {{ who }}.\n", encoding="utf-8")
    environment = template_environment(TEMPLATES, tmp_path)
    draft = compose_draft(environment, "reply_public.txt.j2", {"who": "the unit"})
    assert draft.text == "Our own house style for the unit.\n"
    # Templates the department did not override still come from letter_templates/.
    assert environment.get_template("reply_parliamentarian.txt.j2")


PUBLIC_LETTER = """\
12 Acacia Avenue
Leeds
LS1 1AA

2 February 2026

Dear Minister,

I want to complain about how long it is taking for my divorce to go through the family court. I applied
eight months ago and have heard nothing. Please tell me what is happening.

Yours sincerely,

Mrs Sarah Whitfield
"""


def test_public_letter_gets_an_official_reply_with_title_and_surname(trained_db, run_cli, tmp_path):
    path = tmp_path / "public.txt"
    path.write_text(PUBLIC_LETTER, encoding="utf-8")
    result = run_cli("import", str(path), "--received", "2026-02-04", "--json")
    reference = result.output.split('"reference": "')[1].split('"')[0]
    assert reference.startswith("TO")
    draft = run_cli("draft", reference).output
    assert draft.startswith("Mrs Sarah Whitfield\n12 Acacia Avenue\nLeeds\nLS1 1AA\n")
    assert "\nDear Mrs Whitfield\n" in draft
    assert "Thank you for your letter of 2 February, in which you" in draft
    assert "send it on to your constituents" not in draft
    assert "Yours sincerely\n\nCorrespondence Unit\nMinistry of Justice" in draft


def test_without_a_line_to_take_the_opening_names_the_topic(taxonomy):
    import datetime as dt

    from app.drafting.context import reply_context

    context = reply_context(
        reference="TO100001",
        case_type=taxonomy.case_type("TO"),
        correspondent={"type": "member-of-public", "honorific": "Mr", "given_name": "Ian", "surname": "Hale"},
        extraction={"letter_date": "2026-01-05", "body": "Please explain the rules."},
        received=dt.date(2026, 1, 7),
        reply_date=dt.date(2026, 1, 20),
        addressed_to={},
        answering=None,
        own_department={"code": "MOJ", "name": "Ministry of Justice"},
        topic="data-protection-and-information-rights",
        concern="requests-information",
        bill=None,
        clause=None,
        line=None,
        line_version=None,
        taxonomy=taxonomy,
    )
    draft = compose_draft(template_environment(TEMPLATES), "reply_public.txt.j2", context)
    assert "in which you asked about data protection and information rights." in draft.text
    assert draft.citations == []
