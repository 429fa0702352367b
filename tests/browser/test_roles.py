"""Every role at work in a real browser: each signs in, walks the menu, Team work and a complaint's
page, and every link offered to them works (no 403, 404 or 500): what a role cannot do is not
offered. A closed complaint with a long history stays short, its timeline, documents and letters
folded with their counts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.complaints import actions
from putright.complaints.models import Complaint, OutstandingAction, Remedy
from tests.browser.conftest import Visit
from tests.cast import Cast, acknowledge, log, make_cast, respond
from tests.test_workspace_access_matrix import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = {
    "hana.handler": "Complaint handler",
    "rita.reviewer": "Stage 2 reviewer",
    "olu.officer": "Complaints officer",
    "mei.manager": "Manager",
    "aziz.auditor": "Auditor",
}
FOLDED_HEIGHT_LIMIT = 4_000  # px at 1280 px wide: a closed complaint once ran to 8,900


def links(visit: Visit) -> set[str]:
    """Every same-origin link in the menu and the main content, without its fragment."""
    hrefs: list[str] = visit.page.eval_on_selector_all(
        "nav[aria-label='Menu'] a[href], main a[href]", "nodes => nodes.map(n => n.href)"
    )
    origin = urlsplit(visit.base_url).netloc
    found = set()
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc == origin and parts.scheme in ("http", "https"):
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def follow_every_link(visit: Visit, who: str, seen: set[str]) -> None:
    broken = []
    for path in sorted(seen):
        response = visit.page.context.request.get(visit.base_url + path, max_redirects=5)
        if response.status in (403, 404) or response.status >= 500:
            broken.append(f"{path}: {response.status}")
    assert not broken, f"links offered to {who} that fail:\n" + "\n".join(broken)


def test_every_role_walks_the_menu_team_work_and_a_complaint_and_every_link_works(visit: Visit) -> None:
    cast = make_cast()
    fixture = build(cast)
    page = visit.page
    complaint = f"/staff/complaints/{fixture.complaint.reference}/"
    for username, role in PEOPLE.items():
        visit.sign_in(username)
        menu = page.get_by_role("navigation", name="Menu")
        seen = links(visit)
        if username == "aziz.auditor":
            # Read-only: nothing is ever assigned to the auditor, so they start from Team work.
            expect(page.get_by_role("heading", level=1)).to_have_text("Team work")
            expect(menu.get_by_role("link", name="My work")).to_have_count(0)
            expect(menu.get_by_role("link", name="Log a complaint")).to_have_count(0)
        else:
            expect(page.get_by_role("heading", level=1)).to_have_text("My work")
            expect(menu.get_by_role("link", name="Log a complaint")).to_have_count(1)
        for name in [menu_link.inner_text().strip() for menu_link in menu.get_by_role("link").all()]:
            menu.get_by_role("link", name=name, exact=True).click()
            expect(page.get_by_role("heading", name="You cannot do this")).to_have_count(0)
            seen |= links(visit)
        visit.go("/staff/team/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Team work")
        assert fixture.complaint.reference in page.locator("main table").inner_text(), role
        seen |= links(visit)
        visit.go(complaint)
        expect(page.get_by_role("heading", level=1)).to_contain_text(fixture.complaint.reference)
        seen |= links(visit)
        if username in ("hana.handler", "aziz.auditor"):
            visit.go("/staff/team/")
            visit.check(f"roles-team-work-{username.split('.')[1]}")
            visit.go(complaint)
            page.locator("#timeline summary").click()
            visit.check(f"roles-complaint-{username.split('.')[1]}")
        seen.discard("/staff/sign-out/")
        assert complaint in seen and f"{complaint}letters/{fixture.letter.pk}/" in seen, role
        follow_every_link(visit, role, seen)
        visit.sign_out()


def long_closed_complaint(cast: Cast) -> Complaint:
    """A complaint through both stages to closure, with a long history: extensions, letters, and
    weeks of updates on an outstanding action. Dated in the recent past (the browser keeps real time)."""
    today = clock.today()
    start = today - timedelta(days=today.weekday() + 7 * 14)  # a Monday, fourteen weeks ago

    def day(n: int) -> date:
        return start + timedelta(days=n)

    complaint = acknowledge(cast, log(cast, day(0)), day(2))
    for n in range(3):
        actions.extend(
            Complaint.objects.get(pk=complaint.pk),
            cast.handler,
            days=1,
            reason=f"Waiting for the surveyor's report, part {n + 1}",
            good_reason="The surveyor was off sick",
        )
    complaint = respond(
        cast,
        Complaint.objects.get(pk=complaint.pk),
        day(21),
        actions=[actions.ActionInput("Replace the boiler", day(60), cast.handler)],
    )
    complaint = actions.escalate(complaint, cast.officer, requested_on=day(28), reason="The boiler still fails")
    complaint = acknowledge(cast, complaint, day(30), actor=cast.reviewer)
    complaint = respond(cast, complaint, day(49), actor=cast.reviewer)
    for remedy in Remedy.objects.filter(stage__complaint=complaint):
        actions.update_remedy(remedy, cast.reviewer, state="agreed", on=day(50))
    complaint = actions.close(Complaint.objects.get(pk=complaint.pk), cast.officer, on=day(51))
    action = OutstandingAction.objects.get(complaint=complaint)
    for n in range(40):
        action = actions.update_action(
            OutstandingAction.objects.get(pk=action.pk),
            cast.handler,
            note=f"Week {n + 1}: the engineer called and the part is still on order from the supplier.",
        )
    return Complaint.objects.get(pk=complaint.pk)


def test_a_closed_complaint_with_a_long_history_is_short_with_its_history_folded(visit: Visit) -> None:
    cast = make_cast()
    complaint = long_closed_complaint(cast)
    events = complaint.events.count()
    assert events >= 50
    page = visit.page
    visit.sign_in("olu.officer")
    visit.go(f"/staff/complaints/{complaint.reference}/")
    # The state and what comes next stay at the top; the long parts fold, each with its count.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Closed")
    expect(page.locator("#timeline summary")).to_have_text(f"Timeline ({events} events)")
    expect(page.locator("#documents summary")).to_have_text("Documents (0)")
    expect(page.locator("#letters summary")).to_have_text(re.compile(r"^Letters \(\d+\) and emails \(\d+\)$"))
    expect(page.locator("#timeline ol")).not_to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < FOLDED_HEIGHT_LIMIT, f"the closed complaint's page is {height} px tall, folded"
    visit.check("roles-complaint-closed-folded")
    page.locator("#timeline summary").click()
    expect(page.locator("#timeline ol")).to_be_visible()
    unfolded = page.evaluate("document.documentElement.scrollHeight")
    assert unfolded > height
    print(f"closed complaint, {events} events: {height} px folded, {unfolded} px with the timeline open")
