"""The provisions of the Complaint Handling Code 2024 that a self-assessment covers, 1.2 to 9.8.

Each requirement here is Putright's own one-line summary, not the Code's wording: the
self-assessment shows it so that staff know what each row is about, and the landlord's published
self-assessment can carry the Code's text beside it. Numbers and sections follow the 2024 Code
(Appendix A, the Ombudsman's self-assessment form).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    number: int
    title: str


@dataclass(frozen=True)
class Provision:
    number: str  # "6.13"
    section: Section
    requirement: str  # our summary
    part: str = ""  # within section 6: "Stage 1" or "Stage 2"

    @property
    def key(self) -> tuple[int, int]:
        """Sorts provisions in the Code's order (6.2 before 6.10)."""
        return provision_key(self.number)


def provision_key(number: str) -> tuple[int, int]:
    section, _, item = number.partition(".")
    return int(section), int(item)


SECTIONS = (
    Section(1, "Definition of a complaint"),
    Section(2, "Exclusions"),
    Section(3, "Accessibility and awareness"),
    Section(4, "Complaint handling staff"),
    Section(5, "The complaint handling process"),
    Section(6, "Complaints stages"),
    Section(7, "Putting things right"),
    Section(8, "Self-assessment, reporting and compliance"),
    Section(9, "Scrutiny and oversight: continuous learning and improvement"),
)
_SECTION = {section.number: section for section in SECTIONS}

_SUMMARIES: tuple[tuple[str, str], ...] = (
    # 1: what a complaint is
    (
        "1.2",
        "Use one definition: a complaint is dissatisfaction, however voiced, with what the landlord, its staff "
        "or its agents did or failed to do, affecting one resident or several.",
    ),
    (
        "1.3",
        "Treat dissatisfaction as a complaint without waiting for the word, offer the resident the choice to "
        "complain, and handle complaints made through representatives under the same policy.",
    ),
    (
        "1.4",
        "Tell service requests apart from complaints in the policy; requests are not complaints, yet they "
        "are logged, monitored and reviewed.",
    ),
    (
        "1.5",
        "Raise a complaint when a resident is unhappy with how a service request is being handled, and keep "
        "working on the request.",
    ),
    (
        "1.6",
        "Survey feedback is not a complaint, but people giving feedback are told how they can complain.",
    ),
    # 2: exclusions
    (
        "2.1",
        "Take on every complaint unless a sound reason stops it, judging each on its own facts and keeping "
        "the reasoning as evidence.",
    ),
    (
        "2.2",
        "The policy lists fair grounds for not accepting or escalating, such as an issue over a year old, a claim "
        "already filed at court, or a matter already decided under the policy.",
    ),
    (
        "2.3",
        "Accept complaints made within 12 months of the issue or of the resident learning of it, and consider "
        "discretion for older ones.",
    ),
    (
        "2.4",
        "Give a resident whose complaint is refused the reasons in writing, and tell them the Ombudsman can "
        "review that refusal.",
    ),
    ("2.5", "No blanket exclusions: weigh each complaint's own circumstances."),
    # 3: accessibility and awareness
    (
        "3.1",
        "Offer several ways to complain and anticipate the adjustments residents may need under the Equality Act 2010.",
    ),
    (
        "3.2",
        "Residents can complain in any way to any member of staff; every member of staff knows the process and "
        "passes complaints on.",
    ),
    (
        "3.3",
        "Read high complaint numbers as a sign of an accessible process, not a failure; low numbers may mean "
        "residents cannot complain.",
    ),
    (
        "3.4",
        "Publish the policy in a clear, accessible form, on the website too, describing both stages, what happens "
        "at each and how long each takes.",
    ),
    ("3.5", "The policy says how the landlord makes the policy, the Ombudsman and the Code known."),
    ("3.6", "Residents may have a representative act for them and accompany them to meetings."),
    ("3.7", "Tell residents of their right to go to the Ombudsman and how to engage with it."),
    # 4: staff
    (
        "4.1",
        "Name a complaints officer or team responsible for complaint handling, Ombudsman liaison and reporting to "
        "the governing body.",
    ),
    (
        "4.2",
        "The complaints officer can reach staff at every level and has the authority to settle complaints promptly "
        "and fairly.",
    ),
    (
        "4.3",
        "Treat complaint handling as a resourced core service, with trained staff and a culture of learning.",
    ),
    # 5: the process
    ("5.1", "Have a single complaints policy, and never treat residents worse for complaining."),
    ("5.2", "No extra named stages such as a 'stage 0' or an informal stage."),
    ("5.3", "Never more than two stages."),
    (
        "5.4",
        "Complaints handled by a contractor or other third party still go through the landlord's two stages, "
        "never a second process.",
    ),
    ("5.5", "The landlord makes sure that third parties handle complaints as the Code requires."),
    (
        "5.6",
        "At stage 1 and at escalation, write down the complaint definition (our understanding and the outcomes "
        "sought) and ask for clarification where anything is unclear.",
    ),
    (
        "5.7",
        "When acknowledging, say which parts of the complaint the landlord is and is not responsible for.",
    ),
    (
        "5.8",
        "Handlers decide on the merits, independently and with an open mind, hear the resident, deal with "
        "conflicts of interest and weigh all the evidence.",
    ),
    ("5.9", "When a response will be late, agree with the resident how often they will be updated."),
    (
        "5.10",
        "Make reasonable adjustments; record the adjustments agreed and disabilities disclosed, and keep "
        "adjustments under active review.",
    ),
    ("5.11", "Refuse escalation only for valid reasons that meet section 2, and explain them."),
    (
        "5.12",
        "Keep a full record: the complaint and the date received, correspondence with the resident and others, "
        "supporting documents, and each stage's outcome.",
    ),
    ("5.13", "Be able to put things right at any stage, without waiting for escalation."),
    (
        "5.14",
        "Have a policy on unacceptable behaviour, evidence the reasons for any restriction and review "
        "restrictions regularly.",
    ),
    ("5.15", "Keep contact restrictions proportionate and mindful of the Equality Act 2010."),
    # 6: stage 1
    (
        "6.1",
        "Sort complaints: settle simple ones early, investigate the rest, weighing complexity and any "
        "vulnerability or risk.",
    ),
    ("6.2", "Acknowledge, define and log a stage 1 complaint within 5 working days of receiving it."),
    ("6.3", "Send the full stage 1 response within 10 working days of the acknowledgement."),
    (
        "6.4",
        "Extend stage 1 only where needed, by no more than 10 working days unless there is good reason, "
        "explaining why to the resident.",
    ),
    ("6.5", "Give the Ombudsman's contact details with every stage 1 extension notice."),
    (
        "6.6",
        "Respond once the answer is known rather than when follow-up work is done; track outstanding actions and "
        "keep the resident updated.",
    ),
    (
        "6.7",
        "Answer every point of the definition with clear reasons, drawing on policy, the law and good "
        "practice as relevant.",
    ),
    (
        "6.8",
        "Fold related new issues into a stage 1 complaint not yet answered; log others, or ones that would delay "
        "the response, as new complaints.",
    ),
    (
        "6.9",
        "The stage 1 response sets out, in plain language, the stage, definition, decision, reasons, any remedy, "
        "outstanding actions and how to escalate.",
    ),
    # 6: stage 2
    (
        "6.10",
        "Anything not settled at stage 1 goes to stage 2 when the resident asks; stage 2 is the final response.",
    ),
    ("6.11", "Acknowledge, define and log a stage 2 request within 5 working days of receiving it."),
    (
        "6.12",
        "Never require a reason for escalation; make reasonable efforts to learn why the resident is still unhappy.",
    ),
    ("6.13", "Someone other than the stage 1 handler considers stage 2."),
    ("6.14", "Send the stage 2 final response within 20 working days of the acknowledgement."),
    (
        "6.15",
        "Extend stage 2 only where needed, by no more than 20 working days unless there is good reason, "
        "explaining why to the resident.",
    ),
    ("6.16", "Give the Ombudsman's contact details with every stage 2 extension notice."),
    (
        "6.17",
        "At stage 2 too, respond once the answer is known and track outstanding actions with updates to the resident.",
    ),
    ("6.18", "Answer every point of the stage 2 definition with clear, referenced reasons."),
    (
        "6.19",
        "The stage 2 response sets out the stage, definition, decision, reasons, remedy, outstanding actions and "
        "how to go to the Ombudsman.",
    ),
    ("6.20", "Involve every member of staff needed to give the final stage 2 response."),
    # 7: putting things right
    (
        "7.1",
        "Own what went wrong and say what has been or will be done about it: apology, explanation, action, a "
        "changed decision, a corrected record, money or a changed policy.",
    ),
    ("7.2", "Make each remedy proportionate to the impact on the resident."),
    (
        "7.3",
        "Say what will be done and when, agreed with the resident where it makes sense, and see every remedy through.",
    ),
    ("7.4", "Follow the Ombudsman's guidance on remedies."),
    # 8: self-assessment, reporting and compliance
    (
        "8.1",
        "Produce a yearly complaints performance and service improvement report: this self-assessment, analysis "
        "of performance including complaints refused, Ombudsman non-compliance findings, improvements made and "
        "the Ombudsman's reports on the landlord.",
    ),
    (
        "8.2",
        "Put that report to the governing body and publish it on the complaints web page with the governing "
        "body's response.",
    ),
    ("8.3", "Assess again after a significant restructure, merger or change of procedure."),
    ("8.4", "Review the self-assessment when the Ombudsman asks after an investigation."),
    (
        "8.5",
        "If exceptional events prevent compliance, tell the Ombudsman and affected residents, publish it, and give "
        "a date for returning to compliance.",
    ),
    # 9: scrutiny and oversight
    ("9.1", "Look beyond the single complaint for improvements to the service."),
    ("9.2", "Use complaints as intelligence to change services for the better."),
    ("9.3", "Report wider learning and improvements back to residents, staff and committees."),
    (
        "9.4",
        "A suitably senior lead is accountable for complaint handling and reviews themes, trends and systemic risks.",
    ),
    ("9.5", "A member of the governing body is the Member Responsible for Complaints (MRC)."),
    (
        "9.6",
        "The MRC makes sure the governing body regularly gets insight into complaint handling, with the "
        "information and staff needed.",
    ),
    (
        "9.7",
        "The MRC and governing body receive at least: volumes, categories, outcomes and performance; reviews of "
        "issues and trends; Ombudsman outcomes and progress on orders; and the annual report.",
    ),
    (
        "9.8",
        "Give relevant staff and third parties a standard complaint-handling objective: work together, share "
        "responsibility for shortfalls, keep to professional standards.",
    ),
)


def _part(number: str) -> str:
    section, item = provision_key(number)
    if section != 6:
        return ""
    return "Stage 1" if item <= 9 else "Stage 2"


PROVISIONS: tuple[Provision, ...] = tuple(
    Provision(number, _SECTION[provision_key(number)[0]], summary, _part(number)) for number, summary in _SUMMARIES
)
_BY_NUMBER = {p.number: p for p in PROVISIONS}


def provision(number: str) -> Provision:
    """The provision `number` ("6.2"); KeyError for one the self-assessment does not cover."""
    return _BY_NUMBER[number]


def is_provision(number: str) -> bool:
    return number in _BY_NUMBER
