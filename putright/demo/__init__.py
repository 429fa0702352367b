"""Demonstration data for `putright demo`: staff, residents and complaints with a believable history.

An app only so that its command lives with it. Every complaint is made and moved on through the real
domain actions (`putright.complaints.actions`) with the clock set to the day of each step, so the
demo shows exactly what the software would have recorded, and cannot contain anything the Code's
rules refuse.
"""
