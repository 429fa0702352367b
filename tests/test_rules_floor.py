"""The Code is the floor (putright/rules/floor.py), on the four example policies: no database."""

from __future__ import annotations

from datetime import date

import pytest

from putright.rules import floor, timescales
from putright.rules.policy import (
    CODE_POLICY,
    CODE_STAGE1,
    CODE_STAGE2,
    FindingKind,
    Policy,
    check_against_code,
    load_policy,
    parse_policy,
    policy_from_data,
)
from tests.conftest import EXAMPLE_POLICIES

EXAMPLES = ("ashford-2024.toml", "cheshire-west-forhousing-2023.toml", "dartford-2024.toml", "medway-2022.toml")


def example(name: str) -> Policy:
    return load_policy(EXAMPLE_POLICIES / name)


def test_dartford_acknowledges_in_the_codes_5_days_not_its_7_6_2_6_11() -> None:
    policy = example("dartford-2024.toml")
    assert policy.stage1.acknowledge_days == 7 and policy.stage2.acknowledge_days == 7  # as written
    worked = floor.effective(policy)
    assert worked.stage1.acknowledge_days == 5 and worked.stage2.acknowledge_days == 5
    notes = {o.setting: o.describe(policy.landlord) for o in floor.overrides(policy)}
    assert notes["stage1.acknowledge_days"] == (
        "Dartford's policy allows 7 working days to acknowledge at stage 1; the Code's 5 working days apply (6.2)."
    )
    assert notes["stage2.acknowledge_days"].endswith("the Code's 5 working days apply (6.11).")


def test_dartfords_3_month_window_gives_way_to_the_codes_12_months_2_3() -> None:
    policy = example("dartford-2024.toml")
    worked = floor.effective(policy)
    assert worked.acceptance_window_months == 12
    # An issue 5 months before receipt: outside Dartford's window, inside the Code's, so inside.
    received = date(2025, 6, 16)
    assert not timescales.acceptance_check(policy, date(2025, 1, 16), received).inside
    assert timescales.acceptance_check(worked, date(2025, 1, 16), received).inside
    assert not timescales.acceptance_check(worked, date(2024, 6, 15), received).inside
    override = floor.override_for(policy, "acceptance_window_months")
    assert override is not None and override.provision == "2.3"
    assert override.describe(policy.landlord) == (
        "Dartford's policy accepts complaints within 3 months of the issue; the Code's 12 months apply (2.3)."
    )


def test_a_longer_window_is_stricter_and_kept_2_3() -> None:
    policy = parse_policy({"acceptance_window_months": 24})
    assert floor.effective(policy).acceptance_window_months == 24
    assert floor.override_for(policy, "acceptance_window_months") is None


def test_cheshire_wests_20_day_stage_1_extension_is_capped_at_the_codes_10_6_4_6_5() -> None:
    policy = example("cheshire-west-forhousing-2023.toml")
    worked = floor.effective(policy)
    assert worked.stage1.extension_cap_days == 10
    check = timescales.check_extension(worked, 1, [], 15)
    assert check.needs_good_reason and check.cap_days == 10
    assert not timescales.check_extension(policy, 1, [], 15).needs_good_reason  # what the policy alone allowed
    # Its stage 2 cap of 10 is stricter than the Code's 20 (6.15, 6.16): kept.
    assert worked.stage2.extension_cap_days == 10
    assert floor.override_for(policy, "stage2.extension_cap_days") is None


def test_medways_10_day_stage_2_response_is_stricter_and_applies_as_it_is_6_14() -> None:
    policy = example("medway-2022.toml")
    worked = floor.effective(policy)
    assert worked.stage2.respond_days == 10 and worked.stage2.extension_cap_days == 10
    assert floor.override_for(policy, "stage2.respond_days") is None
    # Silent on the stage 2 acknowledgement and the window: the Code's apply, and say so (6.11, 2.3).
    assert {o.setting: o.policy_value for o in floor.overrides(policy)} == {
        "acceptance_window_months": None,
        "stage2.acknowledge_days": None,
    }
    assert floor.override_for(policy, "stage2.acknowledge_days").describe(policy.landlord) == (  # type: ignore[union-attr]
        "Medway's policy does not state this; the Code's 5 working days apply (6.11)."
    )


def test_ashford_meets_the_code_and_keeps_its_stricter_stage_2_cap_6_15() -> None:
    policy = example("ashford-2024.toml")
    assert [o.setting for o in floor.overrides(policy)] == ["ombudsman_evidence_days"]  # not stated
    worked = floor.effective(policy)
    assert worked.stage1 == CODE_STAGE1 and worked.stage2.extension_cap_days == 10


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_effective_policy_is_never_weaker_than_the_code_and_idempotent(name: str) -> None:
    worked = floor.effective(example(name))
    assert floor.effective(worked) == worked
    assert floor.overrides(worked) == [o for o in floor.overrides(worked) if o.policy_value is None]
    for number, code in ((1, CODE_STAGE1), (2, CODE_STAGE2)):
        stage = worked.stage(number)
        assert stage.acknowledge_days <= code.acknowledge_days
        assert stage.respond_days <= code.respond_days
        assert stage.extension_cap_days <= code.extension_cap_days
    assert worked.acceptance_window_months >= 12


def test_a_silent_setting_is_not_stated_and_round_trips_as_none() -> None:
    policy = example("dartford-2024.toml")
    assert policy.not_stated == {"ombudsman_evidence_days", "stage1.extension_cap_days", "stage2.extension_cap_days"}
    data = policy.to_data()
    assert data["stage1"]["extension_cap_days"] is None and data["ombudsman_evidence_days"] is None
    assert policy_from_data(data) == policy
    assert "stage1.acknowledge_days" in parse_policy({"stage1": {"acknowledge_days": None}}).not_stated
    found = [(f.provision, f.setting) for f in check_against_code(policy) if f.kind is FindingKind.NOT_STATED]
    assert found == [
        ("scheme", "ombudsman_evidence_days"),
        ("6.4", "stage1.extension_cap_days"),
        ("6.15", "stage2.extension_cap_days"),
    ]
    assert "stage1.extension_cap_days" not in {
        f.setting for f in check_against_code(policy) if f.kind is not FindingKind.NOT_STATED
    }


def test_exclusions_broader_than_a_code_ground_are_their_own_and_reviewed_2_2() -> None:
    for name, key in (
        ("cheshire-west-forhousing-2023.toml", "legal-action-taken-or-planned"),
        ("medway-2022.toml", "court-claim-being-pursued"),
    ):
        policy = example(name)
        assert "legal-proceedings" not in dict(policy.exclusions)
        assert (FindingKind.REVIEW, "2.2", f"exclusions.{key}") in [
            (f.kind, f.provision, f.setting) for f in check_against_code(policy)
        ]


def test_the_codes_own_policy_needs_no_override() -> None:
    assert floor.overrides(CODE_POLICY) == [] and floor.effective(CODE_POLICY) is CODE_POLICY
    assert floor.overrides(example("dartford-2024.toml"))  # and a weaker one does
