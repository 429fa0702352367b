"""Limits that protect residents: asking for a code to follow a complaint is limited per address and
per reference with email, never per email alone; behind trusted proxies the client's own address is
counted; and the answer is the same whether the pair matches and whether the mail server is up."""

from __future__ import annotations

import re
from datetime import date

import time_machine
from django.core import mail
from django.http import HttpRequest
from django.test import Client, RequestFactory, SimpleTestCase, TestCase, override_settings

from putright.portal import limits
from putright.portal.models import AccessCode
from putright.web.client import client_address
from tests.cast import make_cast
from tests.portal_support import BASE, deliver_codes, forget_code_requests, make_complaint
from tests.smtp_support import SmtpServer

TODAY = date(2025, 6, 16)
ROSA = "rosa@example.org"


class ClientAddressTests(SimpleTestCase):
    def _address(self, remote: str, forwarded: str | None = None) -> str:
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_address(RequestFactory().get("/", **extra))  # type: ignore[arg-type]

    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_with_no_trusted_proxy_the_connecting_address_is_used_and_the_header_ignored(self) -> None:
        assert self._address("198.51.100.7", "203.0.113.1") == "198.51.100.7"

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_one_proxy_the_address_it_saw_is_the_clients(self) -> None:
        assert self._address("10.0.0.2", "198.51.100.7") == "198.51.100.7"

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_addresses_a_client_wrote_into_the_header_itself_are_ignored(self) -> None:
        assert self._address("10.0.0.2", "1.2.3.4, 198.51.100.7") == "198.51.100.7"

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_behind_two_proxies_the_second_address_from_the_right_is_the_clients(self) -> None:
        assert self._address("10.0.0.3", "6.6.6.6, 198.51.100.7, 10.0.0.2") == "198.51.100.7"

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_a_request_that_did_not_pass_every_proxy_counts_under_the_connecting_address(self) -> None:
        assert self._address("10.0.0.3", "198.51.100.7") == "10.0.0.3"
        assert self._address("10.0.0.3") == "10.0.0.3"

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_something_that_is_not_an_address_is_not_used(self) -> None:
        assert self._address("10.0.0.2", "<script>") == "10.0.0.2"
        assert self._address("10.0.0.2", "[2001:db8::1]:443") == "2001:db8::1"
        assert self._address("10.0.0.2", "198.51.100.7:51234") == "198.51.100.7"


def _ask(client: Client, reference: str, email: str = ROSA, address: str = "198.51.100.7", **extra: str) -> object:
    return client.post(f"{BASE}/follow/", {"reference": reference, "email": email}, REMOTE_ADDR=address, **extra)


@time_machine.travel(TODAY, tick=False)
class CodeRequestLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        forget_code_requests()
        self.complaint = make_complaint(self.client)
        mail.outbox.clear()

    def test_made_up_references_with_a_residents_email_do_not_lock_the_resident_out(self) -> None:
        stranger = Client()
        for number in range(limits.CODES_PER_ADDRESS):
            response = _ask(stranger, f"ASH-2025-{90000 + number}", address="203.0.113.9")
            assert response.status_code == 302  # type: ignore[attr-defined]
        assert _ask(stranger, "ASH-2025-99999", address="203.0.113.9").status_code == 429  # type: ignore[attr-defined]
        response = _ask(Client(), self.complaint.reference)
        deliver_codes()
        assert response.status_code == 302 and len(mail.outbox) == 1  # type: ignore[attr-defined]

    def test_one_reference_with_one_email_is_limited_from_every_address(self) -> None:
        for number in range(limits.CODES_PER_PAIR):
            _ask(Client(), self.complaint.reference, address=f"198.51.100.{number + 1}")
        refused = _ask(Client(), self.complaint.reference.lower(), email="ROSA@example.org", address="192.0.2.50")
        deliver_codes()
        assert refused.status_code == 429 and len(mail.outbox) == limits.CODES_PER_PAIR  # type: ignore[attr-defined]
        assert "Wait an hour and try again" in refused.content.decode()  # type: ignore[attr-defined]

    def test_one_address_is_limited_whatever_it_asks_for(self) -> None:
        client = Client()
        for number in range(limits.CODES_PER_ADDRESS):
            _ask(client, f"ASH-2025-{90000 + number}", email=f"person{number}@example.org")
        assert _ask(client, self.complaint.reference).status_code == 429  # type: ignore[attr-defined]
        deliver_codes()
        assert len(mail.outbox) == 0

    def test_the_limits_start_again_after_the_hour(self) -> None:
        for _ in range(limits.CODES_PER_PAIR):
            _ask(self.client, self.complaint.reference)
        assert _ask(self.client, self.complaint.reference).status_code == 429  # type: ignore[attr-defined]
        with time_machine.travel("2025-06-16 01:30:00+00:00", tick=False):
            assert _ask(self.client, self.complaint.reference).status_code == 302  # type: ignore[attr-defined]

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_each_resident_is_counted_by_their_own_address(self) -> None:
        proxy = "10.0.0.2"
        for number in range(limits.CODES_PER_ADDRESS + 1):
            _ask(Client(), f"ASH-2025-{90000 + number}", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
        blocked = _ask(Client(), self.complaint.reference, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert blocked.status_code == 429  # type: ignore[attr-defined]
        # Spoofing an address to the left of the proxy's does not escape the limit ...
        spoofed = _ask(Client(), self.complaint.reference, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9")
        assert spoofed.status_code == 429  # type: ignore[attr-defined]
        # ... and the resident, through the same proxy from their own address, is not held up.
        allowed = _ask(Client(), self.complaint.reference, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
        deliver_codes()
        assert allowed.status_code == 302 and len(mail.outbox) == 1  # type: ignore[attr-defined]


def _without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@time_machine.travel(TODAY, tick=False)
class TheAnswerGivesNothingAwayTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        forget_code_requests()
        self.complaint = make_complaint(self.client)
        self.smtp = SmtpServer().start()
        self.addCleanup(self.smtp.stop)

    def _answer(self, reference: str) -> tuple[int, str, str]:
        client = Client()
        response = _ask(client, reference)
        page = client.get(f"{BASE}/follow/code/")
        return response.status_code, response["Location"], _without_token(page.content.decode())  # type: ignore[attr-defined]

    def test_the_same_answer_whether_the_pair_matches_and_whether_the_mail_server_is_up(self) -> None:
        with self.smtp.settings():
            matched_up = self._answer(self.complaint.reference)
            unmatched_up = self._answer("ASH-2025-99999")
            self.smtp.stop()
            matched_down = self._answer(self.complaint.reference)
            unmatched_down = self._answer("ASH-2025-99998")
        assert matched_up[:2] == (302, f"{BASE}/follow/code/")
        assert matched_up == unmatched_up == matched_down == unmatched_down
        assert "If the reference and email address match a complaint" in matched_down[2]
        # No request matched, made or sent anything: the worker does that (tests/test_portal_follow.py).
        assert not AccessCode.objects.exists() and not self.smtp.messages()


class NoAddressTests(SimpleTestCase):
    def test_a_request_with_no_address_gives_an_empty_one_not_a_word(self) -> None:
        assert client_address(HttpRequest()) == ""
        with override_settings(TRUSTED_PROXY_COUNT=1):
            assert client_address(HttpRequest()) == ""
