"""The seed letter's whole journey in a real browser (Debian's chromium driven by Playwright).

An officer uploads it and accepts the triage, a drafter edits the draft, the private office returns
it with a comment, the drafter fixes it, the minister approves, the officer dispatches it, and the
deadlines page and the timeliness report count it as answered within target. A screenshot of every
page visited is saved in test-results/screenshots/.
"""

from __future__ import annotations

import re

from app import store
from tests.browser.conftest import SCREENSHOTS
from tests.conftest import SEED_LETTER

RETURN_COMMENT = "Please say which clause was withdrawn in the opening paragraph."


class Journey:
    """A browser session that signs in as one user after another and keeps a screenshot of each page."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.shots = 0

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.shots:02d}-{name}.png"), full_page=True)

    def goto(self, path: str, name: str) -> None:
        self.page.goto(self.base_url + path)
        self.shot(name)

    def sign_in_as(self, username: str) -> None:
        if self.page.get_by_role("button", name="Sign out").count():
            self.page.get_by_role("button", name="Sign out").click()
        self.goto("/login", f"login-{username}")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(f"{username}-password")
        self.page.get_by_role("button", name="Sign in").click()

    def click(self, button: str, name: str) -> None:
        self.page.get_by_role("button", name=button, exact=True).click()
        self.page.wait_for_load_state()
        self.shot(name)

    def banner(self) -> str:
        return self.page.locator(".govuk-notification-banner, .govuk-error-summary").first.inner_text()


def test_the_seed_letter_from_upload_to_dispatch(browser_page, live_server, live_db):
    journey = Journey(browser_page, live_server)
    page = browser_page

    # The officer uploads the letter; the batch page follows the import and shows the new case.
    journey.sign_in_as("officer")
    journey.goto("/upload", "upload")
    page.get_by_label("Letters").set_input_files(str(SEED_LETTER))
    page.get_by_label("Date received (optional)").fill("2009-04-16")
    journey.click("Upload", "upload-progress")
    page.get_by_text("New case").wait_for(timeout=60_000)
    journey.shot("upload-done")
    reference = re.search(r"MC\d{6}", page.get_by_text("New case").inner_text()).group(0)

    # Triage: the officer checks the labels on the case page and confirms them.
    if store.get_case_by_reference(live_db, reference)["status"] == "triage":
        journey.goto("/triage", "triage-queue")
        assert reference in page.locator("table").inner_text()
    journey.goto(f"/cases/{reference}", "case-triage")
    assert "Dr Caroline Lucas MEP" in page.content()
    form = page.locator("details", has=page.get_by_text("Confirm or correct the classification"))
    if form.get_attribute("open") is None:
        page.get_by_text("Confirm or correct the classification").click()
    journey.click("Save classification", "case-triaged")
    assert store.get_case_by_reference(live_db, reference)["status"] == "draft"

    # The drafter edits the draft and sends it for quality check; a manager passes it.
    journey.sign_in_as("drafter")
    journey.goto(f"/cases/{reference}", "case-drafter")
    draft = page.get_by_label("Edit the draft (each save is a new version)")
    draft.fill(draft.input_value().replace("I hope this information is useful.", "I hope this is helpful."))
    journey.click("Save draft", "draft-saved")
    assert "Draft saved as version 2" in journey.banner()
    journey.click("Send for quality check", "sent-to-qa")
    journey.sign_in_as("manager")
    journey.goto(f"/cases/{reference}", "case-qa")
    journey.click("Pass quality check and send to private office", "qa-passed")

    # The private office returns it with a comment.
    journey.sign_in_as("private-office")
    journey.goto(f"/cases/{reference}", "case-private-office")
    page.get_by_label("Reason (return to the drafter)").fill(RETURN_COMMENT)
    journey.click("Return to the drafter", "returned")
    assert store.get_case_by_reference(live_db, reference)["status"] == "draft"

    # The drafter sees the comment, fixes the draft, and it goes back through quality check.
    journey.sign_in_as("drafter")
    journey.goto(f"/cases/{reference}", "case-returned")
    assert RETURN_COMMENT in page.locator("#comments ~ .govuk-inset-text").first.inner_text()
    draft = page.get_by_label("Edit the draft (each save is a new version)")
    draft.fill(
        draft.input_value().replace("Thank you for your letter", "Thank you for your letter about clause 152")
    )
    journey.click("Save draft", "draft-fixed")
    journey.goto(f"/cases/{reference}/draft/compare?a=2&b=3", "redline")
    assert page.locator("ins").filter(has_text="about clause 152").count() == 1
    journey.goto(f"/cases/{reference}", "case-fixed")
    journey.click("Send for quality check", "sent-to-qa-again")
    journey.sign_in_as("manager")
    journey.goto(f"/cases/{reference}", "case-qa-again")
    journey.click("Pass quality check and send to private office", "qa-passed-again")
    journey.sign_in_as("private-office")
    journey.goto(f"/cases/{reference}", "case-private-office-again")
    journey.click("Submit to the minister", "submitted")

    # The minister approves; the officer dispatches the signed reply.
    journey.sign_in_as("minister")
    journey.goto(f"/cases/{reference}", "case-minister")
    journey.click("Approve and sign", "approved")
    journey.sign_in_as("officer")
    journey.goto(f"/cases/{reference}", "case-dispatch")
    with page.expect_download() as download:
        page.get_by_role("link", name="Signed reply on letterhead (PDF)").click()
    assert download.value.suggested_filename == f"{reference}-reply.pdf"
    journey.click("Dispatch the reply", "dispatched")
    case = store.get_case_by_reference(live_db, reference)
    assert case["status"] == "closed"
    assert case["answered_on"] == "2009-04-24"
    assert "Replied" in page.content() and "within target" in page.content()

    # The deadlines page and the unit manager's report count it as answered within target.
    journey.goto("/deadlines", "deadlines")
    deadlines = page.locator("main").inner_text()
    assert reference not in deadlines  # nothing open is left
    assert re.search(r"Replied within target\D+1\b", deadlines)
    journey.sign_in_as("manager")
    journey.goto("/reports?from=2009-04-01&to=2009-04-30", "report")
    row = page.locator("table").first.locator("tbody tr").filter(has_text="April 2009")
    assert [cell.strip() for cell in row.locator("td").all_inner_texts()][:4] == ["1", "1", "1", "100%"]
    assert page.locator("svg title").count() >= 1
