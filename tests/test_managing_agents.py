"""Managing agents and people with places at several landlords (issue 19): what the records allow, what the
owner's own staff read, and the sign-in rules that follow the person rather than the landlord acted for."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import TestCase

from putright.complaints import access, actions
from putright.complaints.errors import InvalidInput
from putright.landlords import accounts
from putright.landlords.models import ManagingAgent, StaffMember, StaffRole
from putright.web.authorise import second_factor_required
from tests.cast import RESIDENT, Cast, make_cast, staff
from tests.test_workspace_support import page, signed_in

TODAY = date(2025, 6, 16)


@time_machine.travel(TODAY, tick=False)
class ManagingAgentTests(TestCase):
    cast: Cast
    agent: ManagingAgent

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.agent = ManagingAgent.objects.create(slug="forhousing", name="ForHousing")
        cls.cast.landlord.managing_agent = cls.agent
        cls.cast.landlord.save(update_fields=["managing_agent"])

    def test_an_agents_place_is_only_at_a_landlord_it_manages_and_never_the_member_role(self) -> None:
        person = staff("fay.agent", self.cast.landlord, StaffRole.HANDLER)
        place = StaffMember(user=person, landlord=self.cast.other_landlord, role=StaffRole.HANDLER, agent=self.agent)
        with pytest.raises(ValidationError) as refused:
            place.full_clean()
        assert "This landlord is not managed by that agent." in str(refused.value)
        board = StaffMember(user=person, landlord=self.cast.landlord, role=StaffRole.MEMBER, agent=self.agent)
        with pytest.raises(ValidationError) as refused:
            board.clean()
        assert "sits on the landlord's own board" in str(refused.value)
        # One place per landlord: a second role at the same landlord is refused by the database.
        with pytest.raises(ValidationError):
            StaffMember(user=person, landlord=self.cast.landlord, role=StaffRole.AUDITOR).validate_constraints()

    def test_the_owners_auditor_and_member_read_the_agents_complaints_measures_and_report(self) -> None:
        agent_handler = staff("fay.agent", self.cast.landlord, StaffRole.HANDLER)
        StaffMember.objects.filter(user=agent_handler).update(agent=self.agent)
        complaint = actions.log_complaint(
            self.cast.landlord,
            agent_handler,
            resident=RESIDENT,
            channel="phone",
            received_on=TODAY,
            description="Logged by the agent's handler.",
        )
        member = staff("mo.member", self.cast.landlord, StaffRole.MEMBER)
        auditor = signed_in(self.cast.auditor)
        record = page(auditor.get(f"/staff/complaints/{complaint.reference}/"))
        assert "Complaints here are handled by ForHousing, the managing agent" in record
        measures = signed_in(member).get("/staff/insight/measures.json", {"year": 2025})
        assert measures.status_code == 200, measures.status_code
        assert measures.json()["stage1"]["received"] == 1
        report = page(auditor.get("/staff/insight/annual/2025/"))
        assert "ForHousing handles Ashford Borough Council's complaints as its managing agent" in report
        # The agent's handler's page says whose complaints these are.
        mine = page(signed_in(agent_handler).get(f"/staff/complaints/{complaint.reference}/"))
        assert "for ForHousing (managing agent)" in mine


@time_machine.travel(TODAY, tick=False)
class OnePersonSeveralLandlordsTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_strictest_place_decides_the_second_factor_whichever_landlord_is_acted_for(self) -> None:
        person = staff("sam.two", self.cast.other_landlord, StaffRole.HANDLER)
        assert not accounts.must_give_second_factor(person)
        StaffMember.objects.create(user=person, landlord=self.cast.landlord, role=StaffRole.COMPLAINTS_OFFICER)
        assert accounts.must_give_second_factor(person)
        access.act_for(person, self.cast.other_landlord.pk)
        handler_place = access.staff_of(person)
        assert handler_place is not None and handler_place.role == StaffRole.HANDLER
        assert second_factor_required(person, handler_place)

    def test_an_officer_resets_only_a_colleague_at_a_landlord_where_they_are_an_officer(self) -> None:
        both = staff("bo.both", self.cast.landlord, StaffRole.HANDLER)
        StaffMember.objects.create(user=both, landlord=self.cast.other_landlord, role=StaffRole.HANDLER)
        only_there = staff("ola.there", self.cast.other_landlord, StaffRole.HANDLER)
        assert accounts.may_reset_second_factor(self.cast.officer, both)
        assert not accounts.may_reset_second_factor(self.cast.officer, only_there)
        # Sam is the other landlord's officer: he may reset Bo there, never Ashford's own handler.
        assert accounts.may_reset_second_factor(self.cast.stranger, both)
        assert not accounts.may_reset_second_factor(self.cast.stranger, self.cast.handler)

    def test_a_handler_is_offered_for_a_stage_by_their_role_at_the_complaints_landlord(self) -> None:
        # Hana handles at Ashford and audits Medway; Ravi reviews at Medway and handles at Ashford.
        StaffMember.objects.create(user=self.cast.handler, landlord=self.cast.other_landlord, role=StaffRole.AUDITOR)
        theirs = actions.log_complaint(
            self.cast.other_landlord,
            self.cast.stranger,
            resident=RESIDENT,
            channel="phone",
            received_on=TODAY,
            description="Medway's complaint.",
        )
        with pytest.raises(InvalidInput) as refused:
            actions.assign_handler(theirs, self.cast.stranger, handler=self.cast.handler, conflict_of_interest=False)
        assert "cannot handle a stage 1 complaint" in str(refused.value.errors)
        ours = actions.log_complaint(
            self.cast.landlord,
            self.cast.officer,
            resident=RESIDENT,
            channel="phone",
            received_on=TODAY,
            description="Ashford's complaint.",
        )
        assigned = actions.assign_handler(
            ours, self.cast.officer, handler=self.cast.handler, conflict_of_interest=False
        )
        assert assigned.handler_id == self.cast.handler.pk
