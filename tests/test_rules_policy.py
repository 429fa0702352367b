"""Landlord policies: loading, refusing impossible values, and comparing with the Code."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from putright.rules.floor import effective
from putright.rules.policy import (
    CODE_POLICY,
    NOT_STATED_SETTINGS,
    EscalationUnit,
    FindingKind,
    PolicyError,
    RespondFrom,
    check_against_code,
    falls_short,
    load_policy,
    parse_policy,
    policy_from_data,
)
from tests.conftest import EXAMPLE_POLICIES

SHORT, STRICTER, REVIEW = FindingKind.FALLS_SHORT, FindingKind.STRICTER, FindingKind.REVIEW
NOT_STATED = FindingKind.NOT_STATED


def findings_of(name: str) -> list[tuple[FindingKind, str, str]]:
    return [(f.kind, f.provision, f.setting) for f in check_against_code(load_policy(EXAMPLE_POLICIES / name))]


def test_the_codes_own_policy_meets_the_code_with_nothing_to_review() -> None:
    policy = load_policy(EXAMPLE_POLICIES / "code-2024.toml")
    assert check_against_code(policy) == []
    assert policy.stage1.acknowledge_days == 5 and policy.stage1.respond_days == 10  # 6.2, 6.3
    assert policy.stage2.acknowledge_days == 5 and policy.stage2.respond_days == 20  # 6.11, 6.14
    assert policy.stage1.extension_cap_days == 10 and policy.stage2.extension_cap_days == 20  # 6.4, 6.15
    assert policy.acceptance_window_months == 12  # 2.3
    # A policy that says nothing states nothing: worked to the Code's numbers, each reported as not stated.
    assert parse_policy({}) == replace(CODE_POLICY, not_stated=frozenset(NOT_STATED_SETTINGS))
    assert effective(parse_policy({})).stage1 == CODE_POLICY.stage1


def test_ashford_2024_meets_the_code() -> None:
    assert findings_of("ashford-2024.toml") == [
        (STRICTER, "6.15", "stage2.extension_cap_days"),
        (REVIEW, "5.11", "escalation_window"),
        (NOT_STATED, "scheme", "ombudsman_evidence_days"),
    ]


def test_medway_2022_falls_short_on_its_informal_stage() -> None:
    found = findings_of("medway-2022.toml")
    assert [f for f in found if f[0] is SHORT] == [(SHORT, "5.2", "informal_stage")]
    assert (STRICTER, "6.14", "stage2.respond_days") in found  # 10 working days at stage 2
    assert (REVIEW, "5.11", "escalation_window") in found
    assert (REVIEW, "2.2", "exclusions.anti-social-behaviour") in found
    policy = load_policy(EXAMPLE_POLICIES / "medway-2022.toml")
    assert policy.escalation_window.unit is EscalationUnit.WORKING_DAYS and policy.escalation_window.length == 20


def test_cheshire_west_forhousing_2023_falls_short_on_acceptance_and_stage1_extension() -> None:
    found = findings_of("cheshire-west-forhousing-2023.toml")
    assert [f for f in found if f[0] is SHORT] == [
        (SHORT, "2.3", "acceptance_window_months"),  # six months, not twelve
        (SHORT, "6.4", "stage1.extension_cap_days"),  # 20 working days, not 10
    ]
    assert (STRICTER, "6.14", "stage2.respond_from") in found
    policy = load_policy(EXAMPLE_POLICIES / "cheshire-west-forhousing-2023.toml")
    assert (policy.escalation_window.unit, policy.escalation_window.length) == (EscalationUnit.MONTHS, 2)


def test_dartford_2024_before_its_action_plan_falls_short_in_four_ways() -> None:
    found = findings_of("dartford-2024.toml")
    assert [f for f in found if f[0] is SHORT] == [
        (SHORT, "5.2", "informal_stage"),
        (SHORT, "2.3", "acceptance_window_months"),  # three months
        (SHORT, "6.2", "stage1.acknowledge_days"),  # seven working days
        (SHORT, "6.11", "stage2.acknowledge_days"),
    ]
    policy = load_policy(EXAMPLE_POLICIES / "dartford-2024.toml")
    assert policy.stage1.respond_from is RespondFrom.RECEIPT
    assert sum(1 for f in found if f[0] is REVIEW) == 11  # grounds the Code does not name (11 of its 13)


def test_findings_explain_themselves_in_plain_english() -> None:
    finding = next(
        f
        for f in check_against_code(load_policy(EXAMPLE_POLICIES / "dartford-2024.toml"))
        if f.setting == "stage1.acknowledge_days"
    )
    assert finding.message == (
        "The policy allows 7 working days to acknowledge a stage 1 complaint after receiving it; "
        "the Code allows at most 5."
    )


def test_a_one_stage_policy_falls_short_of_6_10() -> None:
    found = check_against_code(parse_policy({"stages": 1}))
    assert falls_short(found)
    assert [(f.provision, f.setting) for f in found if f.kind is not NOT_STATED] == [("6.10", "stages")]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"stage1": {"respond_days": 0}}, "stage1.respond_days", "between 1 and 260, not 0"),
        ({"stage2": {"acknowledge_days": -3}}, "stage2.acknowledge_days", "between 1 and 260"),
        ({"stages": 3}, "stages", "forbids more than two stages"),
        ({"stages": "two"}, "stages", "must be 1 or 2"),
        ({"acceptance_window_months": -1}, "acceptance_window_months", "between 1 and 120"),
        ({"escalation_window": {"unit": "months", "length": -2}}, "escalation_window.length", "between 1"),
        ({"escalation_window": {"unit": "months"}}, "escalation_window.length", "between 1"),
        ({"escalation_window": {"unit": "none", "length": 5}}, "escalation_window.length", "between 0 and 0"),
        (
            {"escalation_window": {"unit": "fortnights", "length": 2}},
            "escalation_window.unit",
            "must be one of",
        ),
        ({"stage1": {"respond_days": "ten"}}, "stage1.respond_days", "whole number"),
        ({"stage1": {"respond_days": True}}, "stage1.respond_days", "whole number"),
        ({"informal_stage": "no"}, "informal_stage", "true or false"),
        ({"stage1": {"respond_in": 10}}, "stage1.respond_in", "not a policy setting"),
        ({"stage3": {"respond_days": 10}}, "stage3", "not a policy setting"),
        ({"stage1": 10}, "stage1", "must be a table"),
        ({"exclusions": {"Bad Key": "x"}}, "exclusions.Bad Key", "lower-case key"),
        ({"exclusions": {"empty": " "}}, "exclusions.empty", "label of 1 to 300"),
        ({"effective_from": "April"}, "effective_from", "must be a date"),
        ({"received_on_non_working_day": "ignore"}, "received_on_non_working_day", "must be one of"),
        ({"name": "x" * 301}, "name", "at most 300 characters"),
    ],
)
def test_impossible_values_are_refused_naming_the_field(data: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(data)
    assert caught.value.field == field
    assert message in caught.value.message


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("stages = = 2\n")
    with pytest.raises(PolicyError, match="is not valid TOML"):
        load_policy(broken)
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "missing.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(PolicyError, match="not UTF-8"):
        load_policy(binary)


def test_a_policy_survives_storage_as_json_unchanged() -> None:
    for path in EXAMPLE_POLICIES.glob("*.toml"):
        policy = load_policy(path)
        assert policy_from_data(policy.to_data()) == policy
    assert load_policy(EXAMPLE_POLICIES / "medway-2022.toml").effective_from == date(2022, 9, 1)


def test_exclusion_labels_are_looked_up_by_key() -> None:
    assert CODE_POLICY.exclusion_label("legal-proceedings") == "Legal proceedings have started about the issue"
    assert CODE_POLICY.exclusion_label("not-a-ground") is None
    with pytest.raises(ValueError, match="no stage 3"):
        CODE_POLICY.stage(3)
