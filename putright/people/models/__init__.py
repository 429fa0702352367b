"""The people a complaint is about and from, one module per part of the record: who they are and who
acts for them (`persons`), and their needs (`needs`)."""

from putright.people.models.needs import ReasonableAdjustment, Vulnerability
from putright.people.models.persons import ContactMethod, Person, Representative

__all__ = ["ContactMethod", "Person", "ReasonableAdjustment", "Representative", "Vulnerability"]
