"""The demo that `make run` serves: the mailbag imported as of each letter's day, and some cases moved on."""

from app import store
from app.demo import build_demo


def test_the_demo_has_cases_at_every_kind_of_stage_and_can_be_built_again(trained_db, settings):
    results = build_demo(trained_db, settings, "cli:test")
    assert [r.status for r in results].count("created") == 17

    by_file = {
        r.file.rsplit("/", 1)[-1]: store.get_case_by_reference(trained_db, r.reference) for r in results
    }
    answered_in_time = by_file["01-mp-prison-release.txt"]
    assert answered_in_time["status"] == "closed"
    assert answered_in_time["answered_on"] <= answered_in_time["due"]
    late = by_file["02-mep-information-sharing.txt"]
    assert late["status"] == "closed" and late["answered_on"] > late["due"]
    assert [c["kind"] for c in store.comments_for_case(trained_db, late["id"])] == ["return"]
    assert by_file["03-mp-inquest-delay.txt"]["status"] == "private-office"
    assert by_file["07-public-court-delay.eml"]["status"] == "qa"
    campaign = {by_file[f"{13 + i}-campaign-housing-advice-{1 + i}.txt"]["campaign_id"] for i in range(4)}
    assert len(campaign) == 1 and None not in campaign

    again = build_demo(trained_db, settings, "cli:test")
    assert {r.status for r in again} == {"duplicate"}
    assert store.get_case(trained_db, late["id"])["status"] == "closed"
