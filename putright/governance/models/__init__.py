"""What governance keeps: who oversees complaint handling (the governing body, the Member Responsible for
Complaints, the senior lead), what was presented to them, the reporting calendar, the self-assessment's action
plan and notices of provisions that cannot be met (Code 4.1, 8.1 to 8.5, 9.4 to 9.7).

Governance sits below insight: insight's reports and evidence read it; nothing here imports insight.
Rows change only through putright.governance.actions modules."""

from putright.governance.models.action_plan import *  # noqa: F403
from putright.governance.models.bodies import *  # noqa: F403
from putright.governance.models.calendar import *  # noqa: F403
from putright.governance.models.notices import *  # noqa: F403
