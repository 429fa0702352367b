"""A managing agent's handler who works for two landlords, and the owner's auditor (issue 19), in a real browser.

ForHousing handles Cheshire West and Chester's complaints under the council's policy, and its handler Faye also
works on Dartford's. She signs in once and sees both landlords' work in one list. She acknowledges one complaint
at each, and each response date follows its own landlord's policy: Cheshire West counts 10 working days from
the acknowledgement, Dartford 10 from receipt. She asks a contractor for its account of what happened. The
contractor answers by email, and the answer is threaded to her request. The council's own auditor reads the
agent's complaint and the council's measures, and changes nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from putright import clock
from putright.complaints import actions
from putright.complaints.models import Complaint, Event, Stage
from putright.contributions import actions as contributions
from putright.contributions.models import InformationRequest
from putright.correspondence import inbound
from putright.correspondence.models import InboundMessage, LetterStyle, OutboxMessage
from putright.landlords.actions import adopt_policy
from putright.landlords.calendars import working_calendar
from putright.landlords.models import Landlord, ManagingAgent, StaffMember, StaffRole
from putright.rules.policy import load_policy
from tests.browser.conftest import Visit
from tests.browser.test_journey import send
from tests.cast import RESIDENT, staff
from tests.conftest import EXAMPLE_POLICIES
from tests.test_mail_in import email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def landlord(slug: str, name: str, prefix: str, policy: str) -> Landlord:
    made = Landlord.objects.create(slug=slug, name=name, reference_prefix=prefix)
    adopt_policy(made, load_policy(EXAMPLE_POLICIES / policy), date(2020, 1, 1))
    return made


def working_days_before(owner: Landlord, today: date, days: int) -> date:
    calendar = working_calendar(owner)
    day = today
    while calendar.working_days_between(day, today) < days:
        day = date.fromordinal(day.toordinal() - 1)
    return day


class Agency:
    def __init__(self) -> None:
        self.agent = ManagingAgent.objects.create(slug="forhousing", name="ForHousing")
        self.cheshire = landlord(
            "cheshire-west", "Cheshire West and Chester Council", "CWC", "cheshire-west-forhousing-2023.toml"
        )
        self.cheshire.managing_agent = self.agent
        self.cheshire.save(update_fields=["managing_agent"])
        self.dartford = landlord("dartford", "Dartford Borough Council", "DAR", "dartford-2024.toml")
        # Faye: the agent's handler at Cheshire West, and a handler at Dartford too.
        self.faye = staff("faye.harlow", self.cheshire, StaffRole.HANDLER)
        StaffMember.objects.filter(user=self.faye).update(agent=self.agent)
        StaffMember.objects.create(user=self.faye, landlord=self.dartford, role=StaffRole.HANDLER)
        self.agent_officer = staff("owen.officer", self.cheshire, StaffRole.COMPLAINTS_OFFICER)
        StaffMember.objects.filter(user=self.agent_officer).update(agent=self.agent)
        self.dartford_officer = staff("dina.officer", self.dartford, StaffRole.COMPLAINTS_OFFICER)
        # The council's own auditor.
        self.auditor = staff("carl.auditor", self.cheshire, StaffRole.AUDITOR)
        today = clock.today()
        self.received = {
            "cheshire-west": working_days_before(self.cheshire, today, 2),
            "dartford": working_days_before(self.dartford, today, 2),
        }
        # Replies to the council's complaints mailbox come back to Putright; the lift contractor is on record.
        LetterStyle.objects.create(landlord=self.cheshire, email="complaints@cheshirewest.example.org")
        contributions.add_contractor(
            self.agent_officer,
            contributions.ContractorInput(
                name="Axis Lifts Ltd", email="jobs@axislifts.example", phone="", service_areas=["repairs"]
            ),
        )
        self.cheshire_complaint = self.log(self.cheshire, self.agent_officer, "The lift has been broken for a month.")
        self.dartford_complaint = self.log(self.dartford, self.dartford_officer, "The communal door does not lock.")

    def log(self, owner: Landlord, officer: User, description: str) -> Complaint:
        complaint = actions.log_complaint(
            owner,
            officer,
            resident=RESIDENT,
            channel="phone",
            received_on=self.received[owner.slug],
            description=description,
            outcome_sought="A repair.",
            service_area="repairs",
            issue_date=self.received[owner.slug],
        )
        return actions.assign_handler(complaint, officer, handler=self.faye, conflict_of_interest=False)


def acknowledge_on_the_page(visit: Visit, complaint: Complaint) -> None:
    page = visit.page
    visit.go(f"/staff/complaints/{complaint.reference}/")
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_label("Our understanding of the complaint").fill("A repair has not been done.")
    page.get_by_label("The points we will answer").fill("The repair has taken too long")
    page.get_by_label("What we are responsible for").fill("Repairs")
    page.get_by_role("button", name="Acknowledge").click()
    send(visit)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Stage 1 acknowledged")


def test_the_agents_handler_works_for_two_landlords_and_the_owners_auditor_reads(visit: Visit) -> None:
    agency = Agency()
    page = visit.page
    today = clock.today()

    # One sign-in, both landlords' work in one list, with the landlord on each row.
    visit.sign_in("faye.harlow")
    expect(page.locator(".putright-acting-for")).to_contain_text("Acting for Cheshire West and Chester Council")
    expect(page.locator(".putright-acting-for")).to_contain_text("for ForHousing (managing agent)")
    table = page.locator("main table")
    expect(table).to_contain_text(agency.cheshire_complaint.reference)
    expect(table).to_contain_text(agency.dartford_complaint.reference)
    expect(table.get_by_role("columnheader", name="Landlord")).to_be_visible()
    visit.check("agent-my-work-two-landlords")
    page.get_by_label("Landlord", exact=True).select_option(label="Dartford Borough Council")
    page.get_by_role("button", name="Apply filters").click()
    expect(table).not_to_contain_text(agency.cheshire_complaint.reference)
    expect(table).to_contain_text(agency.dartford_complaint.reference)

    # Each complaint is acknowledged under its own landlord's policy; each page says which landlord it acts for.
    acknowledge_on_the_page(visit, agency.cheshire_complaint)
    expect(page.locator(".putright-acting-for")).to_contain_text("Acting for Cheshire West and Chester Council")
    acknowledge_on_the_page(visit, agency.dartford_complaint)
    expect(page.locator(".putright-acting-for")).to_contain_text("Acting for Dartford Borough Council")
    visit.check("agent-dartford-complaint")
    cheshire_due = Stage.objects.get(complaint=agency.cheshire_complaint, number=1).response_due
    dartford_due = Stage.objects.get(complaint=agency.dartford_complaint, number=1).response_due
    # Cheshire West: 10 working days from the acknowledgement (today); Dartford: 10 from receipt.
    assert cheshire_due == working_calendar(agency.cheshire).add_working_days(today, 10)
    assert dartford_due == working_calendar(agency.dartford).add_working_days(agency.received["dartford"], 10)
    assert cheshire_due != dartford_due
    visit.go(f"/staff/complaints/{agency.dartford_complaint.reference}/")
    expect(page.locator("main")).to_contain_text(f"{dartford_due:%-d %B %Y}")

    # She asks the lift contractor for its account; its reply by email is threaded to her request.
    visit.go(f"/staff/complaints/{agency.cheshire_complaint.reference}/")
    page.get_by_role("button", name="Ask for information").click()
    page.get_by_role("group", name="Who are you asking?").get_by_label("A contractor").check()
    page.get_by_label("Contractor", exact=True).select_option(label="Axis Lifts Ltd")
    page.get_by_label("What are you asking for?").fill(
        "When did your engineer last visit the lift, and what was wrong?"
    )
    visit.check("agent-ask-contractor")
    page.get_by_role("button", name="Send the request").click()
    panel = page.locator("#information-requests")
    expect(panel).to_contain_text("Axis Lifts Ltd")
    expect(panel).to_contain_text("Waiting")
    asked = InformationRequest.objects.get(complaint=agency.cheshire_complaint)
    sent = OutboxMessage.objects.get(kind=OutboxMessage.Kind.INFORMATION_REQUEST, complaint=agency.cheshire_complaint)
    assert sent.to_address == "jobs@axislifts.example"
    assert sent.reply_to == f"complaints+{asked.reply_token}@cheshirewest.example.org"
    reply = email(
        sender="Axis Lifts <jobs@axislifts.example>",
        to=sent.reply_to,
        subject=f"Re: {sent.subject}",
        text="Our engineer visited on Monday: the door sensor has failed and a new one is on order.",
        In_Reply_To=sent.message_id,
    )
    message = inbound.ingest(reply.as_bytes())
    assert message.state == InboundMessage.State.THREADED and message.complaint_id == agency.cheshire_complaint.pk
    page.reload()
    expect(panel).to_contain_text("Answered")
    expect(panel).to_contain_text("the door sensor has failed")
    assert Event.objects.filter(complaint=agency.cheshire_complaint, kind="information-answered").count() == 1
    visit.check("agent-contractor-answered")

    # The council's own auditor reads the agent's complaint and the council's measures, and changes nothing.
    before = Complaint.objects.get(pk=agency.cheshire_complaint.pk).version
    visit.sign_out()
    visit.sign_in("carl.auditor")
    visit.go(f"/staff/complaints/{agency.cheshire_complaint.reference}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(agency.cheshire_complaint.reference)
    expect(page.locator(".putright-acting-for")).to_contain_text(
        "Complaints here are handled by ForHousing, the managing agent"
    )
    expect(page.get_by_role("button", name="Respond")).to_have_count(0)
    expect(page.get_by_role("button", name="Extend")).to_have_count(0)
    refused = page.context.request.get(
        f"{visit.base_url}/staff/complaints/{agency.cheshire_complaint.reference}/respond/"
    )
    assert refused.status == 403
    assert "read-only" in refused.text()
    # Dartford's complaint is none of the council's auditor's business: as if it did not exist.
    elsewhere = page.context.request.get(f"{visit.base_url}/staff/complaints/{agency.dartford_complaint.reference}/")
    assert elsewhere.status == 404
    visit.go("/staff/insight/")
    expect(page.locator("main")).to_contain_text("Cheshire West and Chester Council")
    visit.check("owner-auditor-insight")
    assert Complaint.objects.get(pk=agency.cheshire_complaint.pk).version == before
