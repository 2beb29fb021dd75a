"""Linking to the registers as of the letter's date: members, ministers, bills and clauses, lines."""

from app.linking import (
    Registers,
    answering_minister,
    choose_line,
    link_legislation,
    resolve_addressee,
    resolve_member,
)


def addressee(name=None, roles=(), departments=(), salutation=""):
    return {"name": name, "roles": list(roles), "departments": list(departments), "salutation": salutation}


def test_member_is_resolved_by_name_and_date(db):
    registers = Registers.load(db)
    sender = {"given_name": "Caroline", "surname": "Lucas", "peerage": ""}
    member, seat = resolve_member(registers, sender, "2009-04-14", "mep")
    assert member["id"] == "caroline-lucas"
    assert (seat["type"], seat["constituency"]) == ("mep", "South East England")
    _, later_seat = resolve_member(registers, sender, "2015-06-01")
    assert later_seat["type"] == "mp"


def test_addressee_by_name_role_or_generic(db):
    registers = Registers.load(db)
    by_name = resolve_addressee(
        registers, addressee({"given_name": "Jacqui", "surname": "Smith"}), "2009-04-14"
    )
    assert (by_name["minister_id"], by_name["department"]) == ("jacqui-smith", "HO")
    by_role = resolve_addressee(registers, addressee(roles=["Home Secretary"]), "2009-04-14")
    assert by_role["minister_id"] == "jacqui-smith"
    generic = resolve_addressee(registers, addressee(salutation="Minister"), "2009-04-14")
    assert generic["minister_id"] is None
    assert generic["name"] is None


def test_bill_and_clause_are_linked_by_name_number_or_description(db):
    registers = Registers.load(db)
    by_number = link_legislation(
        registers, "the Coroners and Justice Bill, clause 152", [{"kind": "clause", "value": "152"}]
    )
    assert (by_number["bill_id"], by_number["clause_number"]) == ("coroners-and-justice-bill-2008-09", "152")
    described = link_legislation(registers, "the information-sharing clause of the Coroners Bill", [])
    assert described["clause_number"] == "152"
    assert any("clause described" in e for e in described["evidence"])
    assert link_legislation(registers, "prison food is terrible", [])["bill_id"] is None


def test_line_to_take_is_the_approved_version_in_force(db):
    registers = Registers.load(db)
    line, version = choose_line(
        registers,
        "data-protection-and-information-rights",
        "coroners-and-justice-bill-2008-09",
        "152",
        "2009-04-20",
    )
    assert line["id"] == "cj-bill-information-sharing"
    assert version["status"] == "approved"
    assert any("24 March 2009" in p for p in version["paragraphs"])


def test_answering_minister_by_portfolio_on_the_date(db):
    registers = Registers.load(db)
    minister, appointment = answering_minister(
        registers, "data-protection-and-information-rights", "2009-04-16"
    )
    assert minister["id"] == "michael-wills"
    assert appointment["department"] == "MOJ"


def test_the_newest_line_in_force_wins_when_several_apply(db):
    registers = Registers.load(db)
    topic = "human-rights-and-constitution"
    in_2009 = choose_line(registers, topic, None, None, "2009-06-01")
    in_2026 = choose_line(registers, topic, None, None, "2026-06-01")
    assert in_2009 and in_2026
    assert in_2009[1]["effective_from"] <= "2009-06-01"
    assert in_2026[1]["effective_from"] >= in_2009[1]["effective_from"]
    assert in_2009[0]["id"] != in_2026[0]["id"]
