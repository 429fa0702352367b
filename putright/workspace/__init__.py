"""The staff workspace at /staff/: a complaint handler's whole day, in GOV.UK pages.

Views here parse a form, call one domain action or query from `putright.complaints`, and render;
business rules live in the domain and in `putright.rules`.
"""
