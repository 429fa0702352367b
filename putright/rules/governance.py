"""What the Code asks the governing body and the Member Responsible for Complaints to receive (9.6, 9.7),
as Putright reads it, and the default reporting calendar (8.1 to 8.4).

9.7 asks for "regular" updates on volumes, categories, outcomes and performance (a), reviews of issues and
trends (b), and the Ombudsman's outcomes and orders (c), and for the annual report (d). Putright's quarterly
governance report carries (a) to (c), so "regular" is read as every quarter of the reporting year, each to both
the governing body and the MRC; (d) is met by the year's own annual report, or the previous year's presented
during the year.
"""

from __future__ import annotations

# The quarters of a reporting year (April to June is 1) whose governance report 9.7 needs presented.
QUARTERS_PRESENTED = (1, 2, 3, 4)

# The default reporting calendar, (month, day) in the calendar year after the reporting year starts: the
# self-assessment approved by the end of May, then the annual report to the governing body, publication and
# the submission to the Ombudsman by the end of June. A landlord moves any of them.
DEFAULT_DEADLINES: dict[str, tuple[int, int]] = {
    "self_assessment": (5, 31),
    "annual_report": (6, 30),
    "publication": (6, 30),
    "submission": (6, 30),
}
