"""The Code is the floor: a landlord's policy may be stricter than the Code, never weaker.

The Ombudsman judges a landlord against the Code, whatever its policy says. So every timescale,
cap and window Putright works to is the stricter of the policy's and the Code's:

- days to acknowledge, to respond, to extend without a good reason, to send the Ombudsman
  evidence: the smaller number;
- the acceptance window (2.3): the longer one, since a policy may accept complaints for longer than
  the Code's 12 months but never for less.

A setting the policy does not state (`Policy.not_stated`) is the Code's. `effective` gives the
policy to work to; `overrides` says, per setting, where the Code applies instead and why, in the
words staff see.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from putright.rules.policy import (
    CODE_POLICY,
    NOT_STATED_CODE,
    Policy,
)

_STAGE_SETTINGS = ("acknowledge_days", "respond_days", "extension_cap_days")
_WHAT = {
    "acceptance_window_months": "accepts complaints within {value} months of the issue",
    "ombudsman_evidence_days": "allows {value} working days to send the Ombudsman evidence",
    "acknowledge_days": "allows {value} working days to acknowledge at stage {stage}",
    "respond_days": "allows {value} working days to respond at stage {stage}",
    "extension_cap_days": "allows {value} working days to extend stage {stage} without a good reason",
}


@dataclass(frozen=True)
class Override:
    """One setting where the Code applies instead of the landlord's policy."""

    setting: str  # dotted, as in the policy file: "stage1.acknowledge_days"
    provision: str  # the Code's paragraph: "6.2"
    policy_value: int | None  # None: the policy does not state it
    code_value: int
    unit: str  # "working days" or "months"

    def describe(self, landlord: str = "") -> str:
        """The short line staff see, e.g. "Dartford's policy allows 7 working days to acknowledge at
        stage 1; the Code's 5 apply (6.2)"."""
        whose = f"{_short_name(landlord)}'s policy" if landlord else "The landlord's policy"
        if self.policy_value is None:
            return f"{whose} does not state this; the Code's {self.code_value} {self.unit} apply ({self.provision})."
        table, _, key = self.setting.rpartition(".")
        what = _WHAT[key].format(value=self.policy_value, stage=table.removeprefix("stage"))
        return f"{whose} {what}; the Code's {self.code_value} {self.unit} apply ({self.provision})."


def _short_name(landlord: str) -> str:
    # "Dartford Borough Council" reads as "Dartford" in a one-line note.
    for suffix in (" Borough Council", " District Council", " City Council", " County Council", " Council"):
        if landlord.endswith(suffix):
            return landlord.removesuffix(suffix)
    return landlord


def setting_value(policy: Policy, setting: str) -> int:
    """The number a policy holds for a setting named as in its TOML file ("stage1.respond_days")."""
    table, _, key = setting.rpartition(".")
    holder: object = policy.stage(int(table.removeprefix("stage"))) if table else policy
    value = getattr(holder, key)
    assert isinstance(value, int)
    return value


def _code_wins(policy: Policy, setting: str) -> bool:
    if setting in policy.not_stated:
        return True
    value, code = setting_value(policy, setting), setting_value(CODE_POLICY, setting)
    # A longer acceptance window is the stricter one; every other number is stricter when smaller.
    return value < code if setting == "acceptance_window_months" else value > code


def overrides(policy: Policy) -> list[Override]:
    """Every setting where the Code's number applies instead of the policy's: the policy is weaker
    than the Code there, or does not state it. Empty for a policy that meets the Code throughout."""
    found: list[Override] = []
    for setting, (provision, code_value, unit) in NOT_STATED_CODE.items():
        if _code_wins(policy, setting):
            stated = None if setting in policy.not_stated else setting_value(policy, setting)
            found.append(Override(setting, provision, stated, code_value, unit))
    return found


def override_for(policy: Policy, setting: str) -> Override | None:
    """The override for one setting ("stage1.extension_cap_days"), or None where the policy's applies."""
    return next((o for o in overrides(policy) if o.setting == setting), None)


def effective(policy: Policy) -> Policy:
    """The policy to work to: each number replaced by the Code's where the policy is weaker or
    silent; a stricter policy's numbers (Medway's 10 working days at stage 2) are kept as they are.
    Idempotent: `effective(effective(p)) == effective(p)`."""
    changes: dict[str, dict[str, Any]] = {}
    for override in overrides(policy):
        table, _, key = override.setting.rpartition(".")
        changes.setdefault(table, {})[key] = override.code_value
    if not changes:
        return policy
    stages: dict[str, Any] = {
        table: replace(policy.stage(int(table.removeprefix("stage"))), **values)
        for table, values in changes.items()
        if table
    }
    top: dict[str, Any] = dict(changes.get("", {}))
    return replace(policy, **top, **stages)
