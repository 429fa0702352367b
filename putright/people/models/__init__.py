"""The people a complaint is about and from, one module per part of the record: who they are and who
acts for them (`persons`), and their needs (`needs`)."""

from putright.people.models.needs import EndReason, ReasonableAdjustment, Vulnerability
from putright.people.models.persons import ContactMethod, Person, Representative
from putright.people.models.restrictions import ContactRestriction, RestrictionReview
from putright.people.models.safeguarding import SafeguardingConcern

__all__ = [
    "EndReason",
    "SafeguardingConcern",
    "ContactMethod",
    "ContactRestriction",
    "RestrictionReview",
    "Person",
    "ReasonableAdjustment",
    "Representative",
    "Vulnerability",
]
