"""Putright: complaint handling for social housing landlords, to the Housing Ombudsman's Code."""
