"""The regulation as plain Python: no Django imports here."""
