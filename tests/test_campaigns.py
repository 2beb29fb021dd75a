"""Campaigns: near-duplicate letters grouped as they arrive, with each writer's own words found."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pypdf

from app import store
from app.cases.actions import move_case
from app.importing import Importer
from classifiers.campaigns import additions, group, signature, similarity
from tests.conftest import json_lines
from tests.web_helpers import csrf_token, sign_in

# A campaign email written for these tests: the kind a charity asks its supporters to send.
PARAGRAPHS = (
    "Dear Secretary of State,",
    "I am writing to ask you to keep the promise to end short prison sentences for women convicted of "
    "non-violent offences.",
    "Most women sent to prison serve less than six months. In that time many lose their homes, their jobs "
    "and the care of their children, and they leave prison more likely to offend again than when they "
    "went in.",
    "Community sentences with proper support for mental health, addiction and housing cost far less and work "
    "far better. The women's centres that deliver them have seen their funding cut year after year.",
    "The government's own figures show that women released from short sentences reoffend more often than "
    "women given a community order for the same offence, and that a mother's imprisonment is one of the "
    "strongest predictors of her children later coming into contact with the justice system themselves.",
    "Magistrates tell us they send women to prison for a few weeks because there is nothing else available "
    "locally. Where a women's centre is open, sentencers use it, and fewer women end up in custody.",
    "Please commit to a presumption against short sentences for women, and to three-year funding for women's "
    "centres in every region, so that no court has to choose prison because the alternative has closed.",
    "Yours sincerely",
)
TEMPLATE = "\n\n".join(PARAGRAPHS)
PERSONAL = (
    "My sister was sent to prison for eight weeks in 2023 for shoplifting food, and her two boys were taken "
    "into care while she was inside. It took her a year to get them back."
)
NAMES = ["Ann Brennan", "Tom Okoro", "Priya Shah", "Gareth Rees", "Lucy Moss", "Sam Adeyemi", "Jo Kirk"]
STREETS = ["Mill Lane", "Church Road", "Park View", "High Street", "Station Road"]


def campaign_copy(rng: random.Random, personal: bool = False, drop: bool = False) -> str:
    """A supporter's copy: their own name and address, sometimes a paragraph of their own or one fewer."""
    paragraphs = TEMPLATE.split("\n\n")
    if drop:
        paragraphs.pop(3)
    if personal:
        paragraphs.insert(2, PERSONAL)
    name = rng.choice(NAMES)
    address = (
        f"{rng.randint(1, 120)} {rng.choice(STREETS)}\nLeeds LS{rng.randint(1, 29)} {rng.randint(1, 9)}AB"
    )
    return f"{name}\n{address}\n\n" + "\n\n".join(paragraphs) + f"\n\n{name}\n"


def test_copies_with_edits_group_together_and_other_letters_stay_alone(taxonomy):
    rng = random.Random(4)
    lines = Path("corpus/letters/prisons-and-probation.jsonl").read_text(encoding="utf-8").splitlines()
    corpus = [json.loads(line) for line in lines]
    texts = [campaign_copy(rng, personal=i == 3, drop=i == 5) for i in range(12)] + [
        c["text"] for c in corpus[:40]
    ]
    groups = group(texts)
    assert set(groups[:12]) == {1}
    assert groups[12:] == [None] * 40


def test_signatures_agree_on_copies_and_not_on_other_letters():
    rng = random.Random(9)
    a, b = signature(campaign_copy(rng)), signature(campaign_copy(rng, personal=True))
    other = signature(Path("corpus/demo_mailbag/01-mp-prison-release.txt").read_text(encoding="utf-8"))
    assert similarity(a, b) >= 0.6
    assert similarity(a, other) < 0.15
    assert signature("Too short to tell.") is None


def test_a_writers_own_paragraph_is_found():
    rng = random.Random(2)
    letter = campaign_copy(rng, personal=True)
    [added] = additions(letter, campaign_copy(rng))
    assert added.text == PERSONAL
    assert letter[added.start : added.end] == PERSONAL
    assert additions(campaign_copy(rng), campaign_copy(rng)) == []


def test_campaigns_command_groups_a_file(run_cli, tmp_path):
    rng = random.Random(5)
    path = tmp_path / "mailbag.jsonl"
    letters = [{"id": f"c{i}", "text": campaign_copy(rng)} for i in range(3)]
    letters.append(
        {
            "id": "alone",
            "text": Path("corpus/demo_mailbag/01-mp-prison-release.txt").read_text(encoding="utf-8"),
        }
    )
    path.write_text("\n".join(json.dumps(letter) for letter in letters), encoding="utf-8")
    result = run_cli("campaigns", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json_lines(result.output) == [
        {"id": "c0", "campaign": 1},
        {"id": "c1", "campaign": 1},
        {"id": "c2", "campaign": 1},
        {"id": "alone", "campaign": None},
    ]
    assert "give either FILE or --list" in run_cli("campaigns").output


def test_letters_join_their_campaign_as_they_arrive(trained_db, settings, client, run_cli):
    rng = random.Random(7)
    importer = Importer(trained_db, settings, actor="cli:test", source="cli")
    first, second, personal = (
        importer.import_upload(f"{n}.txt", campaign_copy(rng, personal=n == "c").encode())
        for n in ("a", "b", "c")
    )
    alone = importer.import_upload(
        "alone.txt", Path("corpus/demo_mailbag/03-mp-inquest-delay.txt").read_bytes()
    )
    cases = [store.get_case_by_reference(trained_db, r.reference) for r in (first, second, personal, alone)]
    campaign_id = cases[0]["campaign_id"]
    assert campaign_id is not None
    assert [c["campaign_id"] for c in cases] == [campaign_id] * 3 + [None]
    assert all("campaign" in c["flags"] for c in cases[:3])
    assert "campaign" not in cases[3]["flags"]
    assert "3 letters" in run_cli("campaigns", "--list").output

    sign_in(client, "officer")
    page = client.get(f"/cases/{personal.reference}").get_data(as_text=True)
    assert "added 1 paragraph of their own" in page
    assert "mincorr-mark mincorr-mark--addition" in page
    assert "My sister was sent to prison for eight weeks" in page
    response = client.post(
        f"/cases/{personal.reference}/campaign/remove",
        data={"csrf_token": csrf_token(page), "reason": "Asks about her sister's children"},
    )
    assert response.status_code == 302
    taken_out = store.get_case_by_reference(trained_db, personal.reference)
    assert taken_out["campaign_excluded"] == 1 and "campaign" not in taken_out["flags"]
    campaign_page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert "Taken out" in campaign_page and "(the template)" in campaign_page


def test_one_approved_reply_serves_the_whole_campaign(trained_db, settings, client):
    rng = random.Random(11)
    importer = Importer(trained_db, settings, actor="cli:test", source="cli")
    results = [importer.import_upload(f"{n}.txt", campaign_copy(rng).encode()) for n in range(4)]
    template_case, *others = [store.get_case_by_reference(trained_db, r.reference) for r in results]
    campaign_id = template_case["campaign_id"]

    sign_in(client, "officer")
    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert "Give the approved reply" not in page
    client.post(f"/campaigns/{campaign_id}/accept", data={"csrf_token": csrf_token(page)})
    assert {store.get_case(trained_db, c["id"])["status"] for c in (template_case, *others)} == {"draft"}

    # The template letter's reply goes through drafting and approval once (a TO case: QA approves it).
    case_type = {"signed_by": "official", "name": "Treat official"}
    case = store.get_case(trained_db, template_case["id"])
    case = move_case(
        trained_db,
        case,
        move_id="send-to-qa",
        case_type=case_type,
        role="drafter",
        actor="web:drafter",
        today=settings.today(),
    )
    move_case(
        trained_db,
        case,
        move_id="pass-qa-official",
        case_type=case_type,
        role="unit-manager",
        actor="web:manager",
        today=settings.today(),
    )
    approved = store.latest_draft(trained_db, template_case["id"])["text"]

    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    response = client.post(f"/campaigns/{campaign_id}/apply", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    for other in others:
        assert store.get_case(trained_db, other["id"])["status"] == "dispatch"
        reply = store.latest_draft(trained_db, other["id"])["text"]
        own_name = store.get_correspondent(trained_db, other["correspondent_id"])["name"]
        assert reply.startswith(own_name) and f"Our reference: {other['reference']}" in reply
        assert reply.split("\n\n")[-3:] == approved.split("\n\n")[-3:]
    merged = client.get(f"/campaigns/{campaign_id}/replies.pdf")
    assert len(pypdf.PdfReader(io.BytesIO(merged.data)).pages) == 4
