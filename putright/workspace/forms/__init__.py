"""The workspace's forms: one per page, each field's error message written in the GDS style.

Forms check the shape of what was typed (a real date, a choice from the list); whether it may be
done is the domain action's decision, and its refusals are added back to these forms. They are
made of the GOV.UK form kit (`putright.web.forms`) and kept in a module per family of pages, as the
actions are: accounts, lists, intake, stage, remedies, endings, record and letters.
"""

from putright.workspace.forms import needs
from putright.workspace.forms.accounts import NewPasswordForm, ResetPasswordForm, SignInForm
from putright.workspace.forms.contacts import ContactForm, EndRepresentativeForm, RepresentativeForm
from putright.workspace.forms.endings import CloseForm, EscalateForm, OmbudsmanReferralForm, RefusalForm, WithdrawForm
from putright.workspace.forms.intake import (
    CompleteServiceRequestForm,
    LogComplaintForm,
    PriorityForm,
    RaiseComplaintForm,
    ServiceRequestForm,
)
from putright.workspace.forms.letters import LetterStyleForm, LetterWordingForm
from putright.workspace.forms.lists import WorkFilterForm
from putright.workspace.forms.record import AttachmentForm, LearningForm
from putright.workspace.forms.remedies import ActionUpdateForm, OfferRemedyForm, RemedyForm
from putright.workspace.forms.restrictions import (
    DecideRestrictionForm,
    EndRestrictionForm,
    ProposeRestrictionForm,
    ReviewRestrictionForm,
)
from putright.workspace.forms.stage import (
    AcknowledgeForm,
    AddIssueForm,
    AssignForm,
    ClarificationForm,
    ExtendForm,
    RespondForm,
    SendUpdateForm,
    UpdateIntervalForm,
)

__all__ = [
    "needs",
    "DecideRestrictionForm",
    "EndRestrictionForm",
    "ProposeRestrictionForm",
    "ReviewRestrictionForm",
    "AcknowledgeForm",
    "ActionUpdateForm",
    "AddIssueForm",
    "AssignForm",
    "AttachmentForm",
    "ClarificationForm",
    "CloseForm",
    "CompleteServiceRequestForm",
    "ContactForm",
    "EndRepresentativeForm",
    "EscalateForm",
    "ExtendForm",
    "LearningForm",
    "LetterStyleForm",
    "LetterWordingForm",
    "LogComplaintForm",
    "PriorityForm",
    "NewPasswordForm",
    "OfferRemedyForm",
    "OmbudsmanReferralForm",
    "RaiseComplaintForm",
    "RefusalForm",
    "RemedyForm",
    "RepresentativeForm",
    "ResetPasswordForm",
    "RespondForm",
    "SendUpdateForm",
    "ServiceRequestForm",
    "SignInForm",
    "UpdateIntervalForm",
    "WithdrawForm",
    "WorkFilterForm",
]
