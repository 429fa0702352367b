"""Residents' data protection rights (UK GDPR Arts. 15, 17 and 18): subject access, erasure and
restriction of processing, each recorded with its due date (Art. 12(3)), decided with reasons, and
carried out through the domain actions in `putright.privacy.actions`.

It sits above the domain apps whose records it reads (complaints, people, correspondence,
documents, ombudsman, surveys, retention) and below the front doors: nothing below imports it.
"""
