"""Extraction: who wrote, in what role, for whom, to whom, when, their reference, what legislation."""

from classifiers.extraction import extract, read_letter_doc
from classifiers.names import parse_name
from tests.conftest import SEED_LETTER


def read(text: str, metadata: dict | None = None):
    return extract(read_letter_doc(text), metadata)


def test_seed_letter_is_read_in_full():
    e = read(SEED_LETTER.read_text(encoding="utf-8"))
    assert e.sender["honorific"] == "Dr"
    assert (e.sender["given_name"], e.sender["surname"]) == ("Caroline", "Lucas")
    assert e.sender["post_nominals"] == ["MEP"]
    assert e.correspondent_type == "mep"
    assert e.address == ["Suite 58", "The Hop Exchange", "24 Southwark Street", "London SE1 1TY"]
    assert e.on_behalf_of_constituents is True
    assert e.constituents_phrase == "several constituents"
    assert e.addressee["name"]["given_name"] == "Jacqui"
    assert e.addressee["roles"] == ["Home Secretary"]
    assert e.addressee["departments"] == ["Home Office"]
    assert e.addressee["salutation"] == "Jacqui"
    assert e.letter_date == "2009-04-14"
    assert e.their_reference == "CL/DP/0914"
    kinds = {(m["kind"], m["value"]) for m in e.legislation}
    assert ("bill", "Coroners and Justice Bill") in kinds
    assert ("clause", "152") in kinds
    assert ("part", "8") in kinds
    assert e.language == "en"


MP_NAMED_CONSTITUENT = """\
Rt Hon Sir Alan Beith MP
House of Commons
London SW1A 0AA

Rt Hon Jack Straw MP
Lord Chancellor and Secretary of State for Justice
Ministry of Justice
102 Petty France
London SW1H 9AJ

3rd March 2010

Your ref: MC123456
Our ref: AB/2010/0311

Dear Jack

I am writing on behalf of my constituent, Mrs Janet Okafor of 14 Mill Lane, Alnwick NE66 1AA, who has
waited eight months for a hearing date at the employment tribunal. I should be grateful for your advice.

Yours sincerely

Alan Beith
Member of Parliament for Berwick-upon-Tweed
"""


def test_mp_letter_for_a_named_constituent():
    e = read(MP_NAMED_CONSTITUENT)
    assert e.correspondent_type == "mp"
    assert e.sender["surname"] == "Beith"
    assert e.constituency == "Berwick-upon-Tweed"
    assert e.on_behalf_of_constituents
    assert e.constituents == [{"name": "Mrs Janet Okafor", "address": "14 Mill Lane, Alnwick NE66 1AA"}]
    assert e.constituents_phrase == "your constituent Mrs Janet Okafor of 14 Mill Lane, Alnwick NE66 1AA"
    assert e.letter_date == "2010-03-03"
    assert e.their_reference == "AB/2010/0311"
    assert e.cited_reference == "MC123456"
    assert e.addressee["name"]["surname"] == "Straw"
    assert e.address == ["House of Commons", "London SW1A 0AA"]


PEER = """\
House of Lords
London SW1A 0PW

12 November 2024

Dear Minister,

I write about the continuing use of IPP sentences and would welcome a meeting.

With best wishes,

Lord Ramsbotham
"""


def test_peer_is_recognised_by_title():
    e = read(PEER)
    assert e.correspondent_type == "peer"
    assert e.sender["peerage"] == "Lord Ramsbotham"
    assert not e.on_behalf_of_constituents
    assert e.letter_date == "2024-11-12"


PUBLIC_ADDRESS_UNDER_SIGNATURE = """\
Dear Sir or Madam

My father died in March and the probate office has lost our forms twice. Nobody answers the phone.
I would like to know when the grant will be issued.

Yours faithfully

Mrs Janet Okafor
14 Mill Lane
Leeds
LS6 2AB
"""


def test_public_letter_with_address_under_the_signature():
    e = read(PUBLIC_ADDRESS_UNDER_SIGNATURE)
    assert e.correspondent_type == "member-of-public"
    assert e.sender["honorific"] == "Mrs"
    assert e.address == ["14 Mill Lane", "Leeds", "LS6 2AB"]
    assert not e.on_behalf_of_constituents


FORWARDED_CHAIN = """\
Dear Minister,

Please see the email below from my constituent. I would be grateful for a reply I can pass on.

Kind regards,

Jane Ashworth MP
Member of Parliament for Leeds West

-----Original Message-----
From: Peter Gill <peter.gill@example.com>
Sent: 02 February 2025 09:12
To: ASHWORTH, Jane
Subject: Court delays

Dear Ms Ashworth, my hearing at Leeds Crown Court has been put off four times.
"""


def test_forwarded_chain_names_the_constituent_from_the_quoted_email():
    e = read(FORWARDED_CHAIN)
    assert e.correspondent_type == "mp"
    assert e.sender["surname"] == "Ashworth"
    assert e.constituency == "Leeds West"
    assert e.on_behalf_of_constituents
    assert e.constituents == [{"name": "Peter Gill", "address": None}]


WELSH = """\
Annwyl Weinidog,

Rwy'n ysgrifennu ynglŷn â'r llys ynadon yn ein tref. Mae'r llys wedi cau ac mae'n rhaid i bobl deithio
am ddwy awr i gael gwrandawiad. Nid yw hyn yn deg i'r bobl sydd heb gar, ac mae'n anodd iawn i deuluoedd.
Hoffwn gael ateb yn Gymraeg os gwelwch yn dda.

Yn gywir,

Eleri Hughes
"""


def test_welsh_letter_is_detected():
    e = read(WELSH)
    assert e.language == "cy"
    assert e.sender["given_name"] == "Eleri"


ORGANISATION = """\
Northern Families Advice Trust
Registered charity no. 1234567
5 Quay Street
Manchester M3 3JE

20 January 2026

Dear Secretary of State,

We support the Government's plans for family mediation vouchers and ask that they continue.

Yours sincerely,

Dr Priya Shah
Chief Executive, Northern Families Advice Trust
"""


def test_organisation_letter():
    e = read(ORGANISATION)
    assert e.correspondent_type == "organisation"
    assert e.organisation == "Northern Families Advice Trust"
    assert e.sender["surname"] == "Shah"
    assert "Manchester M3 3JE" in e.address


def test_email_headers_give_the_date_and_sender_when_the_letter_does_not():
    e = read(
        "Dear Minister,\n\nWhy are court fees going up again?\n\nThanks\n",
        {"from": "Sam Peters <sam@example.com>", "sent": "2026-02-03"},
    )
    assert e.letter_date == "2026-02-03"
    assert e.sender["surname"] == "Peters"
    assert e.email == "sam@example.com"


def test_names():
    assert parse_name("The Rt Hon the Lord Bach").peerage == "Lord Bach"
    assert parse_name("Baroness Kennedy of The Shaws KC").peerage == "Baroness Kennedy of The Shaws"
    assert parse_name("Rt Hon Jacqui Smith MP").honorific == "Rt Hon"
    assert parse_name("Home Office") is None
    assert parse_name("Yours sincerely") is None
