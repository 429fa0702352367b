"""API tokens: made by `putright token`, checked on every request, and bound to one member of staff.

Also home to ApiTestCase, which the other test_api_* modules build on.
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client, TestCase

from putright import clock
from putright.api import tokens
from putright.api.models import ApiToken
from putright.landlords.models import StaffMember
from tests.cast import Cast, make_cast

TODAY = date(2025, 3, 3)


@time_machine.travel(TODAY, tick=False)
class ApiTestCase(TestCase):
    """The cast, each with an API token, and a client that speaks JSON to /api/v1/."""

    cast: Cast
    token: dict[str, str]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        people = ("handler", "other_handler", "reviewer", "officer", "manager", "auditor", "stranger")
        # The longest a token may last: tests that move to their own later day still find their tokens alive.
        cls.token = {name: tokens.issue(getattr(cls.cast, name), days=tokens.MAX_DAYS)[1] for name in people}
        # Used a moment ago, so that no request in a test writes last_used_at and query counts are exact.
        ApiToken.objects.update(last_used_at=clock.now())

    def get(self, path: str, as_: str = "handler", **query: Any) -> Any:
        return self.client.get(f"/api/v1{path}", query, headers=self.auth(as_))

    def post(self, path: str, data: Any = None, as_: str = "handler", key: str | None = None) -> Any:
        headers = self.auth(as_) | ({"Idempotency-Key": key} if key else {})
        body = data if isinstance(data, (str, bytes)) else json.dumps(data if data is not None else {})
        return self.client.post(f"/api/v1{path}", body, content_type="application/json", headers=headers)

    def auth(self, as_: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token[as_]}"} if as_ else {}


class BearerTokenTests(ApiTestCase):
    def test_a_request_without_a_token_is_refused_with_401(self) -> None:
        response = self.client.get("/api/v1/complaints")
        assert response.status_code == 401
        assert response.json() == {"detail": "Give a valid API token in the Authorization header, as 'Bearer <token>'."}
        assert response["WWW-Authenticate"] == "Bearer"

    def test_a_wrong_or_malformed_token_is_refused_with_401(self) -> None:
        real = self.token["handler"]
        wrong_secret = real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")
        for value in (f"Bearer {wrong_secret}", "Bearer prt_nothing", "Bearer ", f"Basic {real}", real, "Bearer \x7f"):
            response = self.client.get("/api/v1/complaints", headers={"Authorization": value})
            assert response.status_code == 401, value
            assert set(response.json()) == {"detail"}

    def test_a_revoked_token_stops_working(self) -> None:
        assert self.get("/complaints").status_code == 200
        prefix = self.token["handler"].split("_")[1]
        tokens.revoke(prefix)
        assert self.get("/complaints").status_code == 401

    def test_a_token_of_someone_who_left_the_staff_stops_working(self) -> None:
        StaffMember.objects.filter(user=self.cast.handler).delete()
        assert self.get("/complaints").status_code == 401
        assert self.get("/complaints", as_="officer").status_code == 200

    def test_a_token_of_a_deactivated_user_stops_working(self) -> None:
        User.objects.filter(pk=self.cast.handler.pk).update(is_active=False)
        assert self.get("/complaints").status_code == 401

    def test_use_is_recorded_at_most_once_a_minute(self) -> None:
        token = ApiToken.objects.get(user=self.cast.handler)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=None)
        self.get("/complaints")
        token.refresh_from_db()
        assert token.last_used_at == clock.now()
        with self.assertNumQueries(3):  # the token, their places and the page: no write
            self.get("/complaints")

    def test_a_token_needs_no_csrf_cookie_and_a_session_is_no_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            "/api/v1/complaints", "{}", content_type="application/json", headers=self.auth("handler")
        )
        assert response.status_code == 422  # reached the view: only the empty body is wrong
        client.force_login(self.cast.handler)
        assert client.get("/api/v1/complaints").status_code == 401

    def test_only_a_hash_of_the_secret_is_stored(self) -> None:
        secret = self.token["handler"].split("_", 2)[2]
        row = ApiToken.objects.get(user=self.cast.handler)
        assert secret not in {row.prefix, row.secret_hash, row.name}
        assert len(row.secret_hash) == 64


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def usage_error(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "\n" not in message
    return message


class TokenCommandTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_create_prints_the_token_once_and_it_works(self) -> None:
        printed, note = run("token", "create", "--user", "hana.handler", "--name", "CRM sync")
        row = ApiToken.objects.get()
        assert printed.startswith(f"prt_{row.prefix}_") and row.name == "CRM sync"
        assert printed not in note and row.prefix in note
        response = self.client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {printed}"})
        assert response.status_code == 200

    def test_revoke_stops_the_token(self) -> None:
        printed, _ = run("token", "create", "--user", "hana.handler")
        prefix = ApiToken.objects.get().prefix
        output, _ = run("token", "revoke", f"prt_{prefix}")
        assert f"Token {prefix} of hana.handler is revoked" in output
        assert ApiToken.objects.get().revoked_at is not None
        response = self.client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {printed}"})
        assert response.status_code == 401

    def test_unknown_users_and_users_who_are_not_staff_get_no_token(self) -> None:
        User.objects.create_user("nina.notstaff")
        assert usage_error("token", "create", "--user", "nobody") == "no user is called 'nobody'"
        assert "is not active staff" in usage_error("token", "create", "--user", "nina.notstaff")
        assert "no API token has the prefix" in usage_error("token", "revoke", "abcdef12")
        assert not ApiToken.objects.exists()

    def test_tokens_of_former_staff_cannot_be_made(self) -> None:
        User.objects.filter(pk=self.cast.auditor.pk).update(is_active=False)
        assert "is not active staff" in usage_error("token", "create", "--user", "aziz.auditor")
