"""The evidence bundle of an Ombudsman case (issue 16): the complaint's whole record in one zip (5.12).

A package of its own, beside `ombudsman` (whose models hold `EvidenceBundle`): the bundle reads
letters and email from `correspondence`, and `correspondence` reads `ombudsman` for its reminders,
so living inside `ombudsman` would make the two apps import each other.
"""
