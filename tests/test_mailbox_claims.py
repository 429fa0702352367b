"""A landlord's complaints mailbox is only ever one landlord's, is changed only by its complaints officer
or a manager, and is used only once confirmed from the link sent to it; email that reaches no landlord
is shown to the operator as a problem."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import TestCase

from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.correspondence import actions, inbound, outbox
from putright.correspondence.models import InboundMessage, LetterStyle, OutboxMessage
from tests.cast import make_cast
from tests.test_mail_in import email
from tests.test_workspace_support import page, signed_in

TODAY = date(2025, 6, 16)
ASHFORD = "complaints@ashford.example.org"
MEDWAY = "complaints@medway.example.org"
STYLE_PAGE = "/staff/letters/letterhead/"


def form(**changes: str) -> dict[str, str]:
    return {
        "address": "Civic Centre\nAshford",
        "phone": "01233 331111",
        "email": ASHFORD,
        "website": "",
        "signatory_name": "",
        "signatory_role": "",
        "contact": "handler",
        "team_name": "",
    } | changes


def confirmation_link(to: str) -> str:
    message = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MAILBOX, to_address=to).latest("id")
    found = re.search(r"(/staff/letters/letterhead/mailbox/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


@time_machine.travel(TODAY, tick=False)
class MailboxClaimTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        LetterStyle.objects.create(landlord=cls.cast.landlord, email=ASHFORD)
        LetterStyle.objects.create(landlord=cls.cast.other_landlord, email=MEDWAY)

    def style(self, landlord=None) -> LetterStyle:  # type: ignore[no-untyped-def]
        return LetterStyle.objects.get(landlord=landlord or self.cast.landlord)

    def ask_for(self, address: str, user=None):  # type: ignore[no-untyped-def]
        return signed_in(user or self.cast.officer).post(STYLE_PAGE, form(email=address))

    def test_another_landlords_mailbox_cannot_be_claimed(self) -> None:
        # The issue: Medway's complaints officer set Ashford's mailbox as Medway's letterhead email.
        html = page(signed_in(self.cast.stranger).post(STYLE_PAGE, form(email=ASHFORD.upper())))
        assert f"{ASHFORD.upper()} is another landlord&#x27;s complaints mailbox" in html
        assert 'href="#id_email"' in html
        assert self.style(self.cast.other_landlord).email == MEDWAY
        assert self.style(self.cast.other_landlord).email_requested == ""
        assert not OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MAILBOX).exists()
        # Ashford's mail still reaches Ashford, and Medway's letters still give Medway's address.
        received = inbound.ingest(email(to=ASHFORD).as_bytes())
        assert received.landlord == self.cast.landlord
        assert outbox.mailbox(self.cast.other_landlord) == MEDWAY

    def test_the_database_keeps_each_mailbox_to_one_landlord_whatever_its_case(self) -> None:
        third = type(self.cast.landlord).objects.create(slug="kent", name="Kent", reference_prefix="KNT")
        with pytest.raises(IntegrityError), transaction.atomic():
            LetterStyle.objects.create(landlord=third, email=MEDWAY.upper())
        LetterStyle.objects.create(landlord=third, email="")  # no mailbox of its own: the installation's

    def test_a_mailbox_with_a_plus_is_refused(self) -> None:
        html = page(self.ask_for("complaints+medway@ashford.example.org"))
        assert "Enter the complaints mailbox without a + in it" in html

    def test_a_new_mailbox_waits_for_confirmation_and_the_old_one_stays_in_use(self) -> None:
        new = "new-complaints@ashford.example.org"
        response = self.ask_for(new)
        assert response.status_code == 302
        style = self.style()
        assert (style.email, style.email_requested, style.email_requested_by) == (ASHFORD, new, self.cast.officer)
        assert outbox.mailbox(self.cast.landlord) == ASHFORD
        [sent] = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MAILBOX)
        assert sent.to_address == new and sent.reply_to == ASHFORD
        assert f"Confirm {new} as Ashford Borough Council's complaints mailbox" == sent.subject
        assert "Olu Officer asked Putright to use" in sent.body
        html = page(signed_in(self.cast.officer).get(STYLE_PAGE))
        assert "Waiting for confirmation" in html and new in html
        assert "Waiting for confirmation: " + new in page(signed_in(self.cast.auditor).get(STYLE_PAGE))
        # Saving again, with the same new address or with the other details changed, sends nothing more.
        self.ask_for(new)
        signed_in(self.cast.officer).post(STYLE_PAGE, form(phone="01233 330000"))
        assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MAILBOX).count() == 1
        assert self.style().email_requested == new and self.style().phone == "01233 330000"

    def test_the_link_shows_the_change_and_only_a_post_makes_it(self) -> None:
        new = "new-complaints@ashford.example.org"
        self.ask_for(new)
        link = confirmation_link(new)
        officer = signed_in(self.cast.officer)
        shown = page(officer.get(link))
        assert f"Use {new}" in shown and self.style().email == ASHFORD
        confirmed = officer.post(link, follow=True)
        assert f"{new} is now your complaints mailbox." in page(confirmed)
        style = self.style()
        assert (style.email, style.email_requested, style.email_confirmed_at) == (new, "", style.email_confirmed_at)
        assert style.email_confirmed_at is not None
        assert outbox.mailbox(self.cast.landlord) == new
        again = page(officer.post(link))
        assert f"{new} is already your complaints mailbox." in again

    def test_only_the_landlords_officer_or_a_manager_confirms(self) -> None:
        new = "new-complaints@ashford.example.org"
        self.ask_for(new)
        link = confirmation_link(new)
        for user in (self.cast.handler, self.cast.auditor):
            assert signed_in(user).post(link).status_code == 403
        # Medway's complaints officer, with Ashford's link, changes nothing of either landlord.
        html = page(signed_in(self.cast.stranger).post(link))
        assert "This link has expired or is not for your landlord" in html
        assert self.style().email == ASHFORD and self.style(self.cast.other_landlord).email == MEDWAY
        assert signed_in(self.cast.manager).post(link).status_code == 302
        assert self.style().email == new
        with pytest.raises(NotPermitted):
            actions.save_style(
                self.cast.landlord,
                self.cast.stranger,
                address="",
                phone="",
                email="x@medway.example.org",
                website="",
                signatory_name="",
                signatory_role="",
            )

    def test_a_link_for_a_replaced_or_old_request_confirms_nothing(self) -> None:
        self.ask_for("first@ashford.example.org")
        first = confirmation_link("first@ashford.example.org")
        with time_machine.travel("2025-06-16 10:00:00+00:00", tick=False):
            self.ask_for("second@ashford.example.org")
        second = confirmation_link("second@ashford.example.org")
        officer = signed_in(self.cast.officer)
        assert "is for another change of mailbox" in page(officer.get(first))
        assert "has since been replaced" in page(officer.post(first))
        assert self.style().email == ASHFORD
        with time_machine.travel("2025-06-24 12:00:00+00:00", tick=False):
            assert "This link has expired" in page(signed_in(self.cast.officer).post(second))
        assert self.style().email == ASHFORD
        assert officer.post(second).status_code == 302 and self.style().email == "second@ashford.example.org"

    def test_an_address_another_landlord_confirmed_first_is_refused(self) -> None:
        shared = "housing@kent.example.org"
        self.ask_for(shared)
        signed_in(self.cast.stranger).post(STYLE_PAGE, form(email=shared))
        medway_link = confirmation_link(shared)
        ashford_link = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MAILBOX).order_by("id").first()
        assert ashford_link is not None
        assert signed_in(self.cast.stranger).post(medway_link).status_code == 302
        link = re.search(r"(/staff/letters/letterhead/mailbox/[^/\s]+/)", ashford_link.body)
        assert link
        html = page(signed_in(self.cast.officer).post(link.group(1)))
        assert f"{shared} is another landlord&#x27;s complaints mailbox" in html
        assert self.style().email == ASHFORD

    def test_the_action_refuses_a_token_it_did_not_sign(self) -> None:
        with pytest.raises(TransitionNotAllowed):
            actions.confirm_mailbox(self.cast.landlord, self.cast.officer, "not-a-token")
        with pytest.raises(InvalidInput):
            actions.save_style(
                self.cast.landlord,
                self.cast.officer,
                address="",
                phone="",
                email=MEDWAY,
                website="",
                signatory_name="",
                signatory_role="",
            )

    def test_emptying_the_mailbox_takes_effect_at_once(self) -> None:
        self.ask_for("")
        style = self.style()
        assert style.email == "" and style.email_requested == ""
        assert not OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MAILBOX).exists()

    def test_markup_in_the_address_is_refused_and_shown_as_text(self) -> None:
        html = page(self.ask_for("<script>alert(1)</script>@ashford.example.org"))
        assert "Enter an email address in the correct format" in html and "<script>alert(1)" not in html


@time_machine.travel(TODAY, tick=False)
class UnclaimedMailTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        LetterStyle.objects.create(landlord=cls.cast.landlord, email=ASHFORD)
        LetterStyle.objects.create(landlord=cls.cast.other_landlord, email=MEDWAY)

    def test_email_that_reaches_no_landlord_is_listed_for_the_operator_as_a_problem(self) -> None:
        out = StringIO()
        call_command("mail", "unclaimed", stdout=out)
        assert "No email is waiting without a landlord." in out.getvalue()
        lost = inbound.ingest(email(to="complaints@elsewhere.example.org", subject="My boiler").as_bytes())
        inbound.ingest(email(to=ASHFORD, subject="For Ashford").as_bytes())
        assert lost.landlord is None and InboundMessage.objects.filter(landlord__isnull=True).count() == 1
        out = StringIO()
        with pytest.raises(CommandError) as failed:
            call_command("mail", "unclaimed", stdout=out)
        assert failed.value.returncode == 1
        listed = out.getvalue()
        assert "complaints@elsewhere.example.org" in listed and "'My boiler'" in listed
        assert "Not addressed to any landlord's complaints mailbox" in listed
        assert "1 email reached no landlord" in listed and "For Ashford" not in listed
