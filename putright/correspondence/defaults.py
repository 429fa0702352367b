"""Putright's own wording for each letter type, used until a landlord saves its own.

Each body is a template in the letter language (`putright.correspondence.compose`): HTML from a
short list of tags, with fields in double braces. Every required element appears as its field.
"""

from __future__ import annotations

from putright.rules.letters import LetterType

_OPENING = "<p>{{ date }}</p>\n<p>Our reference: {{ reference }}</p>\n<p>{{ greeting }},</p>\n"
_SIGN_OFF = "\n<p>Yours sincerely,</p>\n<p>{{ signatory }}</p>\n"
# In an acknowledgement, who is handling the complaint and how to reach them (the person, or the team
# where the landlord names no staff) takes the place of the general contact line.
_HANDLED_BY = (
    "<h2>Who is handling your complaint</h2>\n{{ contact }}\n<p>Please quote {{ reference }} when you contact us.</p>"
)
_CONTACT = (
    "<p>If you have any questions, reply to this letter or contact us: {{ landlord_contact }}. "
    "Please quote {{ reference }}.</p>"
)

DEFAULTS: dict[LetterType, tuple[str, str]] = {
    LetterType.STAGE1_ACKNOWLEDGEMENT: (
        "Your complaint {{ reference }}: we have received it",
        _OPENING
        + "<p>Thank you for your complaint, which we received on {{ received_on }}. It is at {{ stage }} of our "
        "complaints process, and its reference is {{ reference }}.</p>\n"
        "{% if first_acknowledged %}{{ first_acknowledged }}\n{% endif %}"
        "<h2>What we understand your complaint to be</h2>\n{{ definition }}\n"
        "<h2>The points we will answer</h2>\n{{ points }}\n"
        "<h2>What you would like us to do</h2>\n{{ outcomes_sought }}\n"
        "<h2>What we are responsible for</h2>\n{{ responsibility }}\n"
        "<p>If we have misunderstood anything, please tell us as soon as you can.</p>\n"
        "<h2>When you will hear from us</h2>\n<p>We will send you our response by {{ response_due }}.</p>\n"
        "<h2>The Housing Ombudsman</h2>\n{{ ombudsman }}\n" + _HANDLED_BY + _SIGN_OFF,
    ),
    LetterType.STAGE2_ACKNOWLEDGEMENT: (
        "Your complaint {{ reference }}: we have received your request for stage 2",
        _OPENING + "<p>Thank you for asking us to look at your complaint again. It is now at {{ stage }} of our "
        "complaints process, the final stage. Someone who was not involved at stage 1 will review it.</p>\n"
        "{% if first_acknowledged %}{{ first_acknowledged }}\n{% endif %}"
        "<h2>What we understand your complaint to be</h2>\n{{ definition }}\n"
        "<h2>The points we will answer</h2>\n{{ points }}\n"
        "<h2>What you would like us to do</h2>\n{{ outcomes_sought }}\n"
        "<h2>What we are responsible for</h2>\n{{ responsibility }}\n"
        "<h2>When you will hear from us</h2>\n<p>We will send you our final response by {{ response_due }}.</p>\n"
        "<h2>The Housing Ombudsman</h2>\n{{ ombudsman }}\n" + _HANDLED_BY + _SIGN_OFF,
    ),
    LetterType.EXTENSION: (
        "Your complaint {{ reference }}: we need more time to respond",
        _OPENING + "<p>We are sorry, but we need more time to respond to your complaint, which is at {{ stage }}.</p>\n"
        "<h2>Why we need more time</h2>\n{{ reason }}\n"
        "<h2>When you will hear from us</h2>\n<p>We told you we would respond by {{ previous_date }}; we now expect to "
        "respond by {{ new_date }}.</p>\n"
        "<h2>The Housing Ombudsman</h2>\n{{ ombudsman }}\n" + _CONTACT + _SIGN_OFF,
    ),
    LetterType.STAGE1_RESPONSE: (
        "Your complaint {{ reference }}: our stage 1 response",
        _OPENING + "<p>This is our response to your complaint at {{ stage }} of our complaints process.</p>\n"
        "<h2>Your complaint</h2>\n{{ definition }}\n"
        "<h2>Our decision</h2>\n{{ decision }}\n"
        "<h2>Our reasons, point by point</h2>\n{{ reasons }}\n"
        "<h2>Putting things right</h2>\n{{ remedy }}\n"
        "<h2>What is still to be done</h2>\n{{ outstanding_actions }}\n"
        "<h2>If you are not satisfied</h2>\n{{ escalation }}\n" + _CONTACT + _SIGN_OFF,
    ),
    LetterType.STAGE2_RESPONSE: (
        "Your complaint {{ reference }}: our final response",
        _OPENING + "<p>This is our final response to your complaint, at {{ stage }} of our complaints process.</p>\n"
        "<h2>Your complaint</h2>\n{{ definition }}\n"
        "<h2>Our decision</h2>\n{{ decision }}\n"
        "<h2>Our reasons, point by point</h2>\n{{ reasons }}\n"
        "<h2>What we offered at stage 1</h2>\n{{ stage1_remedies }}\n"
        "<h2>Putting things right</h2>\n{{ remedy }}\n"
        "<h2>What is still to be done</h2>\n{{ outstanding_actions }}\n"
        "<h2>If you remain dissatisfied</h2>\n{{ escalation }}\n" + _CONTACT + _SIGN_OFF,
    ),
    LetterType.NOT_ACCEPTED: (
        "Your complaint {{ reference }}: our decision not to accept it",
        _OPENING + "<p>We have looked carefully at what you told us.</p>\n"
        "<h2>Our decision</h2>\n{{ decision }}\n"
        "<h2>Why</h2>\n{{ reasons }}\n"
        "<h2>If you disagree</h2>\n{{ ombudsman_right }}\n" + _CONTACT + _SIGN_OFF,
    ),
    LetterType.ESCALATION_REFUSED: (
        "Your complaint {{ reference }}: your request for stage 2",
        _OPENING + "<p>You asked us to escalate your complaint to stage 2.</p>\n"
        "<h2>Our decision</h2>\n{{ decision }}\n"
        "<h2>Why</h2>\n{{ reasons }}\n"
        "<h2>If you disagree</h2>\n{{ ombudsman_right }}\n" + _CONTACT + _SIGN_OFF,
    ),
    LetterType.CLARIFICATION: (
        "Your complaint {{ reference }}: can you tell us more?",
        _OPENING + "<p>We are looking at your complaint, which is at {{ stage }}. To make sure we answer it fully, "
        "we need you to tell us more.</p>\n"
        "<h2>What we need to know</h2>\n{{ question }}\n"
        "<p>Reply to this letter, or add the information online with your reference.</p>\n"
        "<h2>The Housing Ombudsman</h2>\n{{ ombudsman }}\n" + _CONTACT + _SIGN_OFF,
    ),
    LetterType.UPDATE: (
        "Your complaint {{ reference }}: an update",
        _OPENING + "<p>This is the update we agreed to send you on your complaint, which is at {{ stage }}.</p>\n"
        "<h2>Where things are</h2>\n{{ update }}\n"
        "<p>We will send you our response by {{ response_due }}. You will next hear from us by "
        "{{ next_update }}.</p>\n"
        "<h2>The Housing Ombudsman</h2>\n{{ ombudsman }}\n" + _CONTACT + _SIGN_OFF,
    ),
    LetterType.CLOSURE: (
        "Your complaint {{ reference }}: we have closed it",
        _OPENING + "<p>We have now closed your complaint, which ended at {{ stage }}.</p>\n"
        "<h2>What is still to be done</h2>\n{{ outstanding_actions }}\n"
        "<h2>Taking it further</h2>\n{{ further }}\n" + _CONTACT + _SIGN_OFF,
    ),
    LetterType.CONTACT_RESTRICTION: (
        "Your complaint {{ reference }}: how you can contact us for now",
        _OPENING + "<p>We are writing to tell you that, for a time, we are changing how you can contact us.</p>\n"
        "<h2>Why we have made this decision</h2>\n{{ behaviour }}\n"
        "<h2>How you can contact us while it lasts</h2>\n{{ restriction }}\n"
        "<h2>Your complaints</h2>\n{{ complaints_continue }}\n"
        "<h2>When we will look at this again</h2>\n<p>We will review this decision by {{ review_on }} and write to "
        "you with the outcome.</p>\n"
        "<h2>If you disagree</h2>\n{{ challenge }}\n"
        "<h2>The Housing Ombudsman</h2>\n{{ ombudsman }}\n" + _SIGN_OFF,
    ),
    LetterType.CONTACT_RESTRICTION_ENDED: (
        "Your complaint {{ reference }}: the restriction on contacting us has ended",
        _OPENING + "<p>We wrote to you to say we were limiting how you could contact us. That restriction ended on "
        "{{ ended_on }}, and you can contact us in any of the usual ways again.</p>\n"
        "<h2>Why it has ended</h2>\n{{ reason }}\n"
        "<h2>The Housing Ombudsman</h2>\n{{ ombudsman }}\n" + _CONTACT + _SIGN_OFF,
    ),
}
