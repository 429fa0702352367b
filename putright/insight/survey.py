"""Reading a perception survey export (CSV) for TP09, with its own validation.

One row per respondent, with a header row naming four columns in any order:

    respondent,tenure,complained_in_last_12_months,satisfaction_with_complaint_handling
    R0001,LCRA,yes,Fairly satisfied
    R0002,LCHO,no,

TP09 is the share of respondents who say they complained in the last 12 months and who are very
or fairly satisfied with how complaints are handled, for LCRA and LCHO apart (RSH, TSM technical
requirements). A complainant who answered "don't know" or "not applicable", or left the question
blank, is not counted in either part of the share. Only counts are kept, never the rows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
MAX_ERRORS = 20
COLUMNS = ("respondent", "tenure", "complained_in_last_12_months", "satisfaction_with_complaint_handling")
SATISFIED = ("very satisfied", "fairly satisfied")
NOT_SATISFIED = ("neither satisfied nor dissatisfied", "fairly dissatisfied", "very dissatisfied")
NOT_COUNTED = ("don't know", "dont know", "not applicable", "n/a", "")
TENURES = ("lcra", "lcho")


@dataclass
class SurveyCounts:
    rows: int = 0
    lcra_complainants: int = 0
    lcra_satisfied: int = 0
    lcho_complainants: int = 0
    lcho_satisfied: int = 0
    not_counted: int = 0


@dataclass
class SurveyFile:
    counts: SurveyCounts = field(default_factory=SurveyCounts)
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def _normal(value: str | None) -> str:
    return " ".join((value or "").replace("\u2019", "'").split()).lower()


def read_survey(content: bytes) -> SurveyFile:
    """Count a survey file's answers for TP09, or say what is wrong with it, line by line."""
    result = SurveyFile()
    if not content.strip():
        result.errors.append("The file is empty")
        return result
    if len(content) > MAX_BYTES:
        result.errors.append(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
        return result
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append("The file must be a CSV file saved as UTF-8")
        return result
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [_normal(name).replace(" ", "_") for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        result.errors.append(f"The first row must name the columns {', '.join(COLUMNS)}; missing: {', '.join(missing)}")
        return result
    reader.fieldnames = header
    seen: set[str] = set()
    counts = result.counts
    for row in reader:
        line = reader.line_num
        if counts.rows >= MAX_ROWS:
            result.errors.append(f"The file has more than {MAX_ROWS:,} respondents")
            break
        if None in row:
            result.errors.append(f"Line {line}: more values than columns")
            continue
        respondent = (row["respondent"] or "").strip()
        tenure = _normal(row["tenure"])
        complained = _normal(row["complained_in_last_12_months"])
        rating = _normal(row["satisfaction_with_complaint_handling"])
        problems = []
        if not respondent:
            problems.append("the respondent is missing")
        elif respondent in seen:
            problems.append(f"respondent {respondent} appears more than once")
        if tenure not in TENURES:
            problems.append(f"tenure must be LCRA or LCHO, not {row['tenure']!r}")
        if complained not in ("yes", "no"):
            problems.append(
                f"complained_in_last_12_months must be yes or no, not {row['complained_in_last_12_months']!r}"
            )
        if rating not in (*SATISFIED, *NOT_SATISFIED, *NOT_COUNTED):
            problems.append(
                f"satisfaction {row['satisfaction_with_complaint_handling']!r} is not one of the survey's answers"
            )
        elif complained == "no" and rating not in NOT_COUNTED:
            problems.append("a satisfaction rating is given but the respondent did not complain")
        if problems:
            if len(result.errors) < MAX_ERRORS:
                result.errors.append(f"Line {line}: " + "; ".join(problems))
            continue
        seen.add(respondent)
        counts.rows += 1
        if complained != "yes":
            continue
        if rating in NOT_COUNTED:
            counts.not_counted += 1
            continue
        satisfied = 1 if rating in SATISFIED else 0
        if tenure == "lcra":
            counts.lcra_complainants += 1
            counts.lcra_satisfied += satisfied
        else:
            counts.lcho_complainants += 1
            counts.lcho_satisfied += satisfied
    if not result.errors and counts.rows == 0:
        result.errors.append("The file has a header row but no respondents")
    return result
