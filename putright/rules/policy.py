"""A landlord's complaints policy as numbers, and how it compares with the Code.

Every number a landlord's policy sets (days to acknowledge and respond, extension caps, windows,
exclusion grounds) is a field here, defaulting to the Housing Ombudsman's Complaint Handling Code
2024. Policies load from TOML; `check_against_code` lists each way one falls short of the Code,
each way it is stricter, and the settings a person should review, with the provision for each.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

MAX_WORKING_DAYS = 260  # a year of working days: anything larger is a typing mistake
MAX_WINDOW_MONTHS = 120


class EscalationUnit(StrEnum):
    NONE = "none"
    WORKING_DAYS = "working-days"
    CALENDAR_DAYS = "calendar-days"
    MONTHS = "months"


class NonWorkingDayReceipt(StrEnum):
    # CODE.md: a complaint received on a non-working day starts the clock on that day, so the
    # next working day is day 1; a landlord may instead treat it as received on that working day.
    COUNT_FROM_NEXT_WORKING_DAY = "count-from-next-working-day"
    TREAT_AS_RECEIVED_NEXT_WORKING_DAY = "treat-as-received-next-working-day"


class RespondFrom(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"  # the Code (6.3, 6.14)
    RECEIPT = "receipt"  # some landlords count the response time from receipt: stricter


class FindingKind(StrEnum):
    FALLS_SHORT = "falls short"
    STRICTER = "stricter"
    REVIEW = "review"
    # The policy does not give this number: the Code's applies (and Putright says so, rather than
    # letting a silent policy read as one that chose the Code's number).
    NOT_STATED = "not stated"


# The exclusions the Code names as acceptable (2.2).
OUT_OF_TIME = "out-of-time"
LEGAL_PROCEEDINGS = "legal-proceedings"
PREVIOUSLY_CONSIDERED = "previously-considered"
CODE_EXCLUSIONS: tuple[tuple[str, str], ...] = (
    (OUT_OF_TIME, "The issue happened, or you became aware of it, more than 12 months ago"),
    (LEGAL_PROCEEDINGS, "Legal proceedings have started about the issue"),
    (PREVIOUSLY_CONSIDERED, "The matter has already been considered under this complaints policy"),
)
CODE_GROUNDS = frozenset(key for key, _ in CODE_EXCLUSIONS)


@dataclass(frozen=True)
class StageTimescales:
    acknowledge_days: int
    respond_days: int
    extension_cap_days: int
    respond_from: RespondFrom = RespondFrom.ACKNOWLEDGEMENT


@dataclass(frozen=True)
class EscalationWindow:
    unit: EscalationUnit = EscalationUnit.NONE
    length: int = 0

    def describe(self) -> str:
        if self.unit is EscalationUnit.NONE:
            return "no time limit"
        return f"{self.length} {self.unit.value.replace('-', ' ')}"


CODE_STAGE1 = StageTimescales(acknowledge_days=5, respond_days=10, extension_cap_days=10)
CODE_STAGE2 = StageTimescales(acknowledge_days=5, respond_days=20, extension_cap_days=20)
CODE_ACCEPTANCE_WINDOW_MONTHS = 12
CODE_OMBUDSMAN_EVIDENCE_DAYS = 15


@dataclass(frozen=True)
class Policy:
    """A complaints policy. The defaults are the Code's own numbers."""

    name: str = "Housing Ombudsman Complaint Handling Code 2024"
    landlord: str = ""
    effective_from: date | None = None
    stages: int = 2
    informal_stage: bool = False
    acceptance_window_months: int = CODE_ACCEPTANCE_WINDOW_MONTHS
    received_on_non_working_day: NonWorkingDayReceipt = NonWorkingDayReceipt.COUNT_FROM_NEXT_WORKING_DAY
    ombudsman_evidence_days: int = CODE_OMBUDSMAN_EVIDENCE_DAYS
    amber_days: int = 2
    # Not from the Code: how many working days before a deadline the handler is reminded of it.
    reminder_days_before: int = 2
    stage1: StageTimescales = CODE_STAGE1
    stage2: StageTimescales = CODE_STAGE2
    escalation_window: EscalationWindow = field(default_factory=EscalationWindow)
    exclusions: tuple[tuple[str, str], ...] = CODE_EXCLUSIONS
    # 3.6: whether an advice agency (Citizens Advice and the like) acting for a resident is taken to
    # have their consent, as a councillor or MP is. The Code presumes nothing; Cheshire West does.
    advice_agency_consent_presumed: bool = False
    # The floored settings (dotted names, as in NOT_STATED_SETTINGS) the policy document does not
    # state. Their fields hold the Code's number, so every policy can be worked; `to_data` writes
    # them as None and reading absent or None keys puts them back here.
    not_stated: frozenset[str] = frozenset()
    # When the landlord will next review the policy, if it says: a date ("Next review date: 29 June
    # 2025"), or every so many years from its effective date ("reviewed every two years"). The
    # policy's own promise, not a Code timescale.
    review_by: date | None = None
    review_every_years: int | None = None

    def review_due(self) -> date | None:
        """The date the policy says it is to be reviewed by, if it says one."""
        if self.review_by is not None:
            return self.review_by
        if self.review_every_years is not None and self.effective_from is not None:
            return add_years(self.effective_from, self.review_every_years)
        return None

    def stage(self, number: int) -> StageTimescales:
        if number == 1:
            return self.stage1
        if number == 2:
            return self.stage2
        raise ValueError(f"there is no stage {number}: the Code has two stages")

    def exclusion_label(self, key: str) -> str | None:
        return dict(self.exclusions).get(key)

    def to_data(self) -> dict[str, Any]:
        """The policy as plain data, in the same shape as its TOML file (for storing as JSON)."""
        data = asdict(self)
        del data["not_stated"]
        for setting in self.not_stated:
            table, _, key = setting.rpartition(".")
            (data[table] if table else data)[key] = None
        data["effective_from"] = self.effective_from.isoformat() if self.effective_from else None
        # Written only when stated, so a policy that gives no review date keeps its stored shape.
        for key in ("review_by", "review_every_years"):
            if data[key] is None:
                del data[key]
        if self.review_by is not None:
            data["review_by"] = self.review_by.isoformat()
        # A list of pairs, not a table: PostgreSQL's jsonb does not keep the order of an object's keys.
        data["exclusions"] = [list(pair) for pair in self.exclusions]
        return data


CODE_POLICY = Policy()


class PolicyError(ValueError):
    """A policy file that cannot be read, or a value no policy can have; names the field."""

    def __init__(self, field: str | None, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


_TOP_LEVEL = {
    "name",
    "landlord",
    "effective_from",
    "stages",
    "informal_stage",
    "acceptance_window_months",
    "received_on_non_working_day",
    "ombudsman_evidence_days",
    "amber_days",
    "reminder_days_before",
    "stage1",
    "stage2",
    "escalation_window",
    "exclusions",
    "advice_agency_consent_presumed",
    "review_by",
    "review_every_years",
}
MAX_REVIEW_YEARS = 10
_STAGE_KEYS = {"acknowledge_days", "respond_days", "extension_cap_days", "respond_from"}
# The settings whose number the Code sets a floor for (putright/rules/floor.py): a policy that
# leaves one out is "not stated", never read as having chosen the Code's number.
NOT_STATED_SETTINGS: tuple[str, ...] = (
    "acceptance_window_months",
    "ombudsman_evidence_days",
    *(f"stage{n}.{key}" for n in (1, 2) for key in ("acknowledge_days", "respond_days", "extension_cap_days")),
)


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _date(data: Mapping[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, date) or hasattr(value, "hour")):
        raise PolicyError(key, f"must be a date such as 2024-04-01, not {value!r}")
    return value


def _integer(data: Mapping[str, Any], key: str, name: str, default: int, low: int, high: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PolicyError(name, f"must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise PolicyError(name, f"must be between {low} and {high}, not {value}")
    return int(value)


def _choice(data: Mapping[str, Any], key: str, name: str, default: StrEnum, kind: type[StrEnum]) -> Any:
    value = data.get(key, default.value)
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(f'"{member.value}"' for member in kind)
        raise PolicyError(name, f"must be one of {choices}, not {value!r}") from None


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise PolicyError(key, "must be a table")
    return value


def _unknown_keys(data: Mapping[str, Any], allowed: set[str], prefix: str = "") -> None:
    for key in data:
        if key not in allowed:
            raise PolicyError(f"{prefix}{key}", "is not a policy setting (check its spelling)")


def _stage(data: Mapping[str, Any], number: int, default: StageTimescales) -> StageTimescales:
    name = f"stage{number}"
    table = _table(data, name)
    _unknown_keys(table, _STAGE_KEYS, f"{name}.")
    return StageTimescales(
        # Zero days cannot be met: a complaint received today cannot be acknowledged before it arrives.
        acknowledge_days=_integer(
            table,
            "acknowledge_days",
            f"{name}.acknowledge_days",
            default.acknowledge_days,
            1,
            MAX_WORKING_DAYS,
        ),
        respond_days=_integer(table, "respond_days", f"{name}.respond_days", default.respond_days, 1, MAX_WORKING_DAYS),
        extension_cap_days=_integer(
            table,
            "extension_cap_days",
            f"{name}.extension_cap_days",
            default.extension_cap_days,
            0,
            MAX_WORKING_DAYS,
        ),
        respond_from=_choice(table, "respond_from", f"{name}.respond_from", default.respond_from, RespondFrom),
    )


def _without_nones(data: Mapping[str, Any]) -> dict[str, Any]:
    # None is how `to_data` writes a setting the policy does not state: read it as absent.
    copied = {key: value for key, value in data.items() if value is not None}
    for number in (1, 2):
        table = copied.get(f"stage{number}")
        if isinstance(table, Mapping):
            copied[f"stage{number}"] = {key: value for key, value in table.items() if value is not None}
    return copied


def parse_policy(data: Mapping[str, Any]) -> Policy:
    """Build a policy from TOML-shaped data, refusing any value no policy can have. A setting that
    is absent, or None, is one the policy does not state (`Policy.not_stated`)."""
    data = _without_nones(data)
    _unknown_keys(data, _TOP_LEVEL)
    name = data.get("name", CODE_POLICY.name)
    landlord = data.get("landlord", "")
    for key, value in (("name", name), ("landlord", landlord)):
        if not isinstance(value, str) or len(value) > 300:
            raise PolicyError(key, "must be text of at most 300 characters")
    effective_from = _date(data, "effective_from")
    review_by = _date(data, "review_by")
    review_every_years = (
        _integer(data, "review_every_years", "review_every_years", 0, 1, MAX_REVIEW_YEARS)
        if "review_every_years" in data
        else None
    )
    if review_by is not None and review_every_years is not None:
        raise PolicyError("review_by", "give either review_by or review_every_years, not both")
    if review_by is not None and effective_from is not None and review_by <= effective_from:
        raise PolicyError(
            "review_by", f"must be after the date the policy takes effect ({effective_from}), not {review_by}"
        )
    stages = data.get("stages", 2)
    if isinstance(stages, bool) or not isinstance(stages, int) or stages not in (1, 2):
        # 5.3: a process with more than two stages is not acceptable under any circumstances.
        raise PolicyError("stages", f"must be 1 or 2 (the Code forbids more than two stages, 5.3), not {stages!r}")
    informal_stage = data.get("informal_stage", False)
    if not isinstance(informal_stage, bool):
        raise PolicyError("informal_stage", f"must be true or false, not {informal_stage!r}")
    agency_presumed = data.get("advice_agency_consent_presumed", False)
    if not isinstance(agency_presumed, bool):
        raise PolicyError("advice_agency_consent_presumed", f"must be true or false, not {agency_presumed!r}")

    window = _table(data, "escalation_window")
    _unknown_keys(window, {"unit", "length"}, "escalation_window.")
    unit = _choice(window, "unit", "escalation_window.unit", EscalationUnit.NONE, EscalationUnit)
    if unit is EscalationUnit.NONE:
        length = _integer(window, "length", "escalation_window.length", 0, 0, 0)
    else:
        high = MAX_WINDOW_MONTHS if unit is EscalationUnit.MONTHS else 3 * 365
        length = _integer(window, "length", "escalation_window.length", 0, 1, high)

    exclusions_table = _table(data, "exclusions") if "exclusions" in data else dict(CODE_EXCLUSIONS)
    exclusions: list[tuple[str, str]] = []
    for key, label in exclusions_table.items():
        if not key or not all(ch.isalnum() or ch == "-" for ch in key) or key != key.lower():
            raise PolicyError(f"exclusions.{key}", "must be a lower-case key of letters, digits and hyphens")
        if not isinstance(label, str) or not label.strip() or len(label) > 300:
            raise PolicyError(f"exclusions.{key}", "must have a label of 1 to 300 characters")
        exclusions.append((key, label.strip()))

    stage_tables = {n: _table(data, f"stage{n}") for n in (1, 2)}
    not_stated = frozenset(
        setting
        for setting in NOT_STATED_SETTINGS
        if setting.rpartition(".")[2] not in (stage_tables[int(setting[5])] if "." in setting else data)
    )
    return Policy(
        not_stated=not_stated,
        name=name,
        landlord=landlord,
        effective_from=effective_from,
        stages=stages,
        informal_stage=informal_stage,
        acceptance_window_months=_integer(
            data, "acceptance_window_months", "acceptance_window_months", 12, 1, MAX_WINDOW_MONTHS
        ),
        received_on_non_working_day=_choice(
            data,
            "received_on_non_working_day",
            "received_on_non_working_day",
            NonWorkingDayReceipt.COUNT_FROM_NEXT_WORKING_DAY,
            NonWorkingDayReceipt,
        ),
        ombudsman_evidence_days=_integer(
            data, "ombudsman_evidence_days", "ombudsman_evidence_days", 15, 1, MAX_WORKING_DAYS
        ),
        amber_days=_integer(data, "amber_days", "amber_days", 2, 0, 20),
        reminder_days_before=_integer(data, "reminder_days_before", "reminder_days_before", 2, 0, 10),
        stage1=_stage(data, 1, CODE_STAGE1),
        stage2=_stage(data, 2, CODE_STAGE2),
        escalation_window=EscalationWindow(unit, length),
        exclusions=tuple(exclusions),
        advice_agency_consent_presumed=agency_presumed,
        review_by=review_by,
        review_every_years=review_every_years,
    )


def policy_from_data(data: Mapping[str, Any]) -> Policy:
    """The inverse of `Policy.to_data` (stored JSON has ISO dates where TOML has dates)."""
    copied = _without_nones(data)
    if isinstance(copied.get("exclusions"), list):
        try:
            copied["exclusions"] = {str(key): label for key, label in copied["exclusions"]}
        except (TypeError, ValueError):
            raise PolicyError("exclusions", "must be a list of [key, label] pairs") from None
    for key in ("effective_from", "review_by"):
        if isinstance(copied.get(key), str):
            copied[key] = date.fromisoformat(copied[key])
    return parse_policy(copied)


def load_policy(path: Path) -> Policy:
    """Read a policy from a TOML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyError(None, f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise PolicyError(None, f"{path} is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(None, f"{path} is not valid TOML: {error}") from None
    return parse_policy(data)


def with_changes(policy: Policy, **changes: Any) -> Policy:
    return replace(policy, **changes)


# For each floored setting: the provision that sets it, the Code's number and its unit.
NOT_STATED_CODE: dict[str, tuple[str, int, str]] = {
    "acceptance_window_months": ("2.3", CODE_ACCEPTANCE_WINDOW_MONTHS, "months"),
    "ombudsman_evidence_days": ("scheme", CODE_OMBUDSMAN_EVIDENCE_DAYS, "working days"),
    "stage1.acknowledge_days": ("6.2", CODE_STAGE1.acknowledge_days, "working days"),
    "stage1.respond_days": ("6.3", CODE_STAGE1.respond_days, "working days"),
    "stage1.extension_cap_days": ("6.4", CODE_STAGE1.extension_cap_days, "working days"),
    "stage2.acknowledge_days": ("6.11", CODE_STAGE2.acknowledge_days, "working days"),
    "stage2.respond_days": ("6.14", CODE_STAGE2.respond_days, "working days"),
    "stage2.extension_cap_days": ("6.15", CODE_STAGE2.extension_cap_days, "working days"),
}


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    provision: str
    setting: str
    message: str


def _compare_days(
    policy: Policy, findings: list[Finding], provision: str, setting: str, value: int, code: int, what: str
) -> None:
    if setting in policy.not_stated:
        return  # a NOT_STATED finding, not a comparison with the Code's own number
    if value > code:
        findings.append(
            Finding(
                FindingKind.FALLS_SHORT,
                provision,
                setting,
                f"The policy allows {value} working days {what}; the Code allows at most {code}.",
            )
        )
    elif value < code:
        findings.append(
            Finding(
                FindingKind.STRICTER,
                provision,
                setting,
                f"The policy allows {value} working days {what}, fewer than the Code's {code}.",
            )
        )


def check_against_code(policy: Policy) -> list[Finding]:
    """Every way `policy` falls short of the Code, is stricter than it, or needs a person's review."""
    findings: list[Finding] = []
    if policy.stages == 1:
        findings.append(
            Finding(
                FindingKind.FALLS_SHORT,
                "6.10",
                "stages",
                "The policy has one stage; the Code requires a stage 2 for anything not resolved at stage 1.",
            )
        )
    if policy.informal_stage:
        findings.append(
            Finding(
                FindingKind.FALLS_SHORT,
                "5.2",
                "informal_stage",
                "The policy has an informal stage before stage 1; the Code does not allow extra named stages "
                "such as 'stage 0' or 'informal complaint'. Log every complaint at stage 1.",
            )
        )
    if "acceptance_window_months" in policy.not_stated:
        pass  # a NOT_STATED finding below
    elif policy.acceptance_window_months < CODE_ACCEPTANCE_WINDOW_MONTHS:
        findings.append(
            Finding(
                FindingKind.FALLS_SHORT,
                "2.3",
                "acceptance_window_months",
                f"The policy accepts complaints only within {policy.acceptance_window_months} months of the "
                f"issue; the Code requires complaints made within 12 months to be accepted.",
            )
        )
    elif policy.acceptance_window_months > CODE_ACCEPTANCE_WINDOW_MONTHS:
        findings.append(
            Finding(
                FindingKind.STRICTER,
                "2.3",
                "acceptance_window_months",
                f"The policy accepts complaints within {policy.acceptance_window_months} months of the issue, "
                f"longer than the Code's 12.",
            )
        )
    stage_provisions = {
        1: ("6.2", "6.3", "6.4", CODE_STAGE1, "after receiving it", "the complaint"),
        2: ("6.11", "6.14", "6.15", CODE_STAGE2, "after the request to escalate", "the escalation request"),
    }
    for number, (ack, respond, extend, code, ack_from, received) in stage_provisions.items():
        stage = policy.stage(number)
        prefix = f"stage{number}"
        _compare_days(
            policy,
            findings,
            ack,
            f"{prefix}.acknowledge_days",
            stage.acknowledge_days,
            code.acknowledge_days,
            f"to acknowledge a stage {number} complaint {ack_from}",
        )
        _compare_days(
            policy,
            findings,
            respond,
            f"{prefix}.respond_days",
            stage.respond_days,
            code.respond_days,
            f"to respond at stage {number}",
        )
        _compare_days(
            policy,
            findings,
            extend,
            f"{prefix}.extension_cap_days",
            stage.extension_cap_days,
            code.extension_cap_days,
            f"to extend a stage {number} response without a good reason",
        )
        if stage.respond_from is RespondFrom.RECEIPT:
            findings.append(
                Finding(
                    FindingKind.STRICTER,
                    respond,
                    f"{prefix}.respond_from",
                    f"The policy counts the stage {number} response time from the day {received} is received, "
                    "not from the acknowledgement, so responses are due sooner than the Code requires.",
                )
            )
    if policy.escalation_window.unit is not EscalationUnit.NONE:
        findings.append(
            Finding(
                FindingKind.REVIEW,
                "5.11",
                "escalation_window",
                f"Residents may ask for stage 2 within {policy.escalation_window.describe()} of the stage 1 "
                "response. The Code sets no such limit: a later request may be refused only for a reason that "
                "meets section 2, explained to the resident, so Putright asks for a recorded decision.",
            )
        )
    for key, label in policy.exclusions:
        if key not in {OUT_OF_TIME, LEGAL_PROCEEDINGS, PREVIOUSLY_CONSIDERED}:
            findings.append(
                Finding(
                    FindingKind.REVIEW,
                    "2.2",
                    f"exclusions.{key}",
                    f"'{label}' is not one of the exclusions the Code names. Check it is fair and reasonable, and "
                    "apply it to each complaint on its own facts, never as a blanket rule (2.5).",
                )
            )
    if policy.received_on_non_working_day is NonWorkingDayReceipt.TREAT_AS_RECEIVED_NEXT_WORKING_DAY:
        findings.append(
            Finding(
                FindingKind.REVIEW,
                "6.2",
                "received_on_non_working_day",
                "A complaint received on a non-working day is treated as received on the next working day, "
                "which gives one more day than counting that working day as day 1.",
            )
        )
    for setting in NOT_STATED_SETTINGS:
        if setting in policy.not_stated:
            provision, code_value, unit = NOT_STATED_CODE[setting]
            findings.append(
                Finding(
                    FindingKind.NOT_STATED,
                    provision,
                    setting,
                    f"The policy does not state this: the Code's {code_value} {unit} apply.",
                )
            )
    # A setting the policy does not state is reported above as the Code's, not reviewed here.
    if (
        "ombudsman_evidence_days" not in policy.not_stated
        and policy.ombudsman_evidence_days > CODE_OMBUDSMAN_EVIDENCE_DAYS
    ):
        findings.append(
            Finding(
                FindingKind.REVIEW,
                "scheme",
                "ombudsman_evidence_days",
                f"The policy gives {policy.ombudsman_evidence_days} working days to send the Ombudsman the "
                f"evidence it asks for; landlords are expected to send it within 15.",
            )
        )
    return findings


def falls_short(findings: list[Finding]) -> bool:
    return any(finding.kind is FindingKind.FALLS_SHORT for finding in findings)
