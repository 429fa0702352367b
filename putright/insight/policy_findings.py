"""A landlord's policy beside the Code: what it says, what the Code says, and what Putright works to.

One view of the policy for every place people read it (insight's "Your policy and the Code" page,
the self-assessment's evidence for 5.1 and the provisions a finding touches): the rule itself, the
stricter of the two, is `putright.rules.floor`; this only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from putright.landlords.calendars import policy_version_in_force
from putright.landlords.models import Landlord, PolicyVersion
from putright.rules import floor
from putright.rules.policy import CODE_POLICY, NOT_STATED_CODE, Finding, FindingKind, Policy, check_against_code

# What each floored setting is, in words a complaints officer uses.
SETTING_LABELS = {
    "acceptance_window_months": "Accepting a complaint after the issue",
    "ombudsman_evidence_days": "Sending the Ombudsman evidence",
    "stage1.acknowledge_days": "Stage 1: acknowledging",
    "stage1.respond_days": "Stage 1: responding",
    "stage1.extension_cap_days": "Stage 1: extending without a good reason",
    "stage2.acknowledge_days": "Stage 2: acknowledging",
    "stage2.respond_days": "Stage 2: responding",
    "stage2.extension_cap_days": "Stage 2: extending without a good reason",
}


@dataclass(frozen=True)
class SettingRow:
    setting: str
    label: str
    provision: str
    unit: str
    policy_value: int | None  # None: the policy does not state it
    code_value: int
    applied_value: int
    applies: str  # "The Code", "Your policy" or "Both the same"

    @property
    def code_applies(self) -> bool:
        return self.applies == "The Code"

    @property
    def policy_is_stricter(self) -> bool:
        return self.applies == "Your policy"


@dataclass(frozen=True)
class PolicyComparison:
    landlord: Landlord
    version: PolicyVersion | None  # None: no policy recorded, so the Code's own numbers apply
    policy: Policy
    rows: list[SettingRow]
    findings: list[Finding]
    code_applies: list[str]  # one line per setting where the Code applies instead, as staff see it

    def of_kind(self, kind: FindingKind) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind is kind]

    @property
    def falls_short(self) -> list[Finding]:
        return self.of_kind(FindingKind.FALLS_SHORT)

    @property
    def stricter(self) -> list[Finding]:
        return self.of_kind(FindingKind.STRICTER)

    @property
    def not_stated(self) -> list[Finding]:
        return self.of_kind(FindingKind.NOT_STATED)

    @property
    def review(self) -> list[Finding]:
        return self.of_kind(FindingKind.REVIEW)

    def touching(self, provision: str) -> list[Finding]:
        """The findings about one provision of the Code, for its self-assessment evidence."""
        return [finding for finding in self.findings if finding.provision == provision]

    @property
    def provisions(self) -> set[str]:
        return {finding.provision for finding in self.findings}


def compare(landlord: Landlord, version: PolicyVersion | None) -> PolicyComparison:
    """The version (or the Code's own numbers where there is none) against the Code, setting by setting."""
    policy = version.policy() if version else CODE_POLICY
    applied = floor.effective(policy)
    rows = []
    for setting, (provision, code_value, unit) in NOT_STATED_CODE.items():
        stated = None if setting in policy.not_stated else floor.setting_value(policy, setting)
        applied_value = floor.setting_value(applied, setting)
        if stated == code_value:
            applies = "Both the same"
        elif stated is not None and applied_value == stated:
            applies = "Your policy"
        else:
            applies = "The Code"
        rows.append(
            SettingRow(setting, SETTING_LABELS[setting], provision, unit, stated, code_value, applied_value, applies)
        )
    return PolicyComparison(
        landlord=landlord,
        version=version,
        policy=policy,
        rows=rows,
        findings=check_against_code(policy),
        code_applies=[override.describe(landlord.name) for override in floor.overrides(policy)],
    )


def compare_in_force(landlord: Landlord, on: date) -> PolicyComparison:
    return compare(landlord, policy_version_in_force(landlord, on))
