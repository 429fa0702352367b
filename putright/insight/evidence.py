"""What Putright's own records show for each provision of the self-assessment, for a reporting year.

The sentences go into the "from the data" part of a provision's evidence; staff add the rest
(policies, web pages, training) and decide whether the landlord complies. docs/measures.md lists
the provisions filled here and how. All of it takes a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q

from putright import clock
from putright.complaints.independence import independent_at_stage2
from putright.complaints.models import (
    Complaint,
    Complexity,
    DefinitionPoint,
    Extension,
    OutstandingAction,
    Priority,
    Remedy,
    ResidentUpdate,
    ServiceRequest,
    Stage,
    Status,
)
from putright.complaints.queries import acceptance_facts
from putright.complaints.updates import agreed_updates
from putright.governance.evidence import governance_evidence
from putright.insight import measures as m
from putright.insight import ombudsman_outcomes, policy_findings, restrictions
from putright.insight.models import ServiceImprovement
from putright.insight.periods import Period, year_label
from putright.landlords.models import Landlord
from putright.people.models import ReasonableAdjustment, Vulnerability
from putright.rules.policy import CODE_POLICY, OUT_OF_TIME
from putright.rules.provisions import is_provision
from putright.rules.updates import Kept, kept

# What the retention schedule did to a record years later (putright.retention), not how the complaint was
# handled: left out of 5.12's count of events, so that a year's evidence reads the same once anonymised.
RETENTION_KINDS = ("retention-review", "retention-held", "anonymised")

# The provisions for which the data says something, in the Code's order.
PREFILLED = (
    "1.4", "1.5", "2.1", "2.3", "2.4", "3.1", "3.6", "4.1", "5.1", "5.6", "5.7", "5.8", "5.9", "5.10", "5.11", "5.12",
    "5.13", "5.14", "5.15", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.11", "6.12", "6.13",
    "6.14", "6.15", "6.16", "6.17", "6.18", "6.19", "7.1", "7.3", "7.4", "8.1", "8.2", "9.1", "9.3", "9.4", "9.5",
    "9.6", "9.7",
)  # fmt: skip


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _pc(share: m.Share) -> str:
    return "none in the year" if share.whole == 0 else f"{share.part:,} of {share.whole:,} ({share.percent}%)"


@dataclass(frozen=True)
class YearEvidence:
    year_starting: int
    sentences: dict[str, str]
    # The answer the records alone support, for the provisions where they can decide (a Comply value by
    # provision, such as "yes" for 9.7 when the governing body and the MRC received every report in the year).
    answers: dict[str, str] = field(default_factory=dict)


def evidence_for(landlord: Landlord, year_starting: int) -> YearEvidence:
    """A sentence of evidence from the records for each provision in PREFILLED."""
    period = Period.reporting_year(year_starting)
    span = (period.start, period.end)
    today = clock.today()
    figures = m.compute(landlord, period)
    complaints = Complaint.objects.filter(landlord=landlord).order_by()
    received = complaints.filter(received_on__range=span)
    stages = Stage.objects.filter(complaint__landlord=landlord).order_by()
    responded = stages.filter(responded_on__range=span)

    requests = ServiceRequest.objects.filter(landlord=landlord, received_on__range=span).aggregate(
        total=Count("id"), completed=Count("id", filter=Q(status=ServiceRequest.State.COMPLETED))
    )
    # Joined to their events, so every other count is of distinct complaints.
    facts = received.aggregate(
        from_requests=Count("id", distinct=True, filter=Q(service_request__isnull=False)),
        outside_window=Count(
            "id", distinct=True, filter=Q(inside_acceptance_window=False) & ~Q(status=Status.NOT_ACCEPTED)
        ),
        linked=Count("id", distinct=True, filter=Q(related_to__isnull=False)),
        event_count=Count("events", filter=~Q(events__kind__in=RETENTION_KINDS)),
        attachments=Count("events", filter=Q(events__kind="attachment-added")),
        contacts=Count("events", filter=Q(events__kind="contact-recorded")),
        high_priority=Count("id", distinct=True, filter=Q(priority=Priority.HIGH)),
        complex=Count("id", distinct=True, filter=Q(complexity=Complexity.COMPLEX)),
        at_risk=Count("id", distinct=True, filter=~Q(risk_factors=[])),
        anonymous=Count("id", distinct=True, filter=Q(person__anonymous=True)),
    )
    work = stages.filter(acknowledged_on__range=span).aggregate(
        acknowledged=Count("id"),
        with_scope=Count("id", filter=~Q(responsible_for="") | ~Q(not_responsible_for="")),
        clarified=Count("id", filter=Q(clarification_requested_on__isnull=False)),
        declared=Count("id", filter=~Q(conflict_declaration="")),
        stage2=Count("id", filter=Q(number=2)),
        stage2_no_reason=Count("id", filter=Q(number=2, escalation_reason="")),
    )
    late = responded.filter(Q(extension_days__gt=0) | Q(responded_on__gt=F("response_due"))).aggregate(
        total=Count("id"), interval=Count("id", filter=Q(update_interval_days__isnull=False))
    )
    # Each agreed update that fell due in the year, and whether it went on time (5.9).
    agreed = agreed_updates(ResidentUpdate.objects.filter(stage__complaint__landlord=landlord, due_on__range=span))
    updates = kept((update for _, update in agreed), today)
    points = DefinitionPoint.objects.filter(stage__in=responded.values("pk")).aggregate(
        total=Count("id"), answered=Count("id", filter=~Q(decision="") & ~Q(reasons=""))
    )
    extensions = {
        row["stage__number"]: row
        for row in Extension.objects.filter(stage__in=responded.values("pk"))
        .order_by()
        .values("stage__number")
        .annotate(
            n=Count("id"),
            told_late=Count("id", filter=Q(late=True)),
            good=Count("id", filter=~Q(good_reason="")),
            stages=Count("stage", distinct=True),
        )
    }
    from_responses = Exists(
        Stage.objects.filter(complaint=OuterRef("complaint"), number=OuterRef("stage_number"), responded_on__range=span)
    )
    actions_facts = (
        OutstandingAction.objects.filter(from_responses, complaint__landlord=landlord)
        .order_by()
        .aggregate(
            total=Count("id", distinct=True),
            done=Count("id", distinct=True, filter=Q(completed_on__isnull=False)),
            overdue=Count("id", distinct=True, filter=Q(completed_on__isnull=True, due_on__lt=today)),
            updated=Count("id", distinct=True, filter=Q(updates__resident_told=True)),
        )
    )
    remedies = Remedy.objects.filter(stage__in=responded.values("pk")).aggregate(
        at_stage1=Count("id", filter=Q(stage__number=1)),
        delivered=Count("id", filter=Q(state=Remedy.State.DELIVERED)),
        agreed=Count("id", filter=Q(state=Remedy.State.AGREED)),
        overdue=Count("id", filter=Q(due_on__lt=today) & Q(state__in=(Remedy.State.OFFERED, Remedy.State.AGREED))),
    )
    people = received.values("person")
    adjustments = ReasonableAdjustment.objects.filter(person__in=people).aggregate(
        total=Count("id"),
        residents=Count("person", distinct=True),
        reviewed=Count("id", filter=Q(review_on__isnull=False)),
        overdue=Count("id", filter=Q(review_on__lt=today, ended_on__isnull=True)),
        # 5.10 "under active review": the last review recorded on or before the date it was due.
        on_time=Count("id", filter=Q(reviewed_on__isnull=False, reviewed_on__lte=F("review_was_due_on"))),
        late=Count("id", filter=Q(reviewed_on__isnull=False, reviewed_on__gt=F("review_was_due_on"))),
    )
    disclosed = Vulnerability.objects.filter(person__in=people).aggregate(
        total=Count("id"), residents=Count("person", distinct=True)
    )
    closed = complaints.filter(closed_on__range=span).aggregate(
        total=Count("id"), learning=Count("id", filter=~Q(learning_outcome="") & ~Q(root_cause=""))
    )
    improvements = ServiceImprovement.objects.filter(landlord=landlord).aggregate(
        linked=Count(
            "id",
            filter=Exists(
                ServiceImprovement.complaints.through.objects.filter(
                    serviceimprovement=OuterRef("pk"), complaint__received_on__range=span
                )
            ),
        ),
        completed=Count("id", filter=Q(completed_on__range=span)),
        published=Count("id", filter=Q(publish=True)),
    )
    attachments = facts["attachments"]

    s1, s2 = figures.stage1, figures.stage2
    refusals = figures.refusals
    out_of_time = next((g.count for g in refusals.by_ground if g.key == OUT_OF_TIME), 0)
    # 6.13 by the same rule the actions apply: nobody who considered stage 1 considers stage 2.
    stage2_ids = stages.filter(acknowledged_on__range=span, number=2).values_list("complaint_id", flat=True)
    stage2_independent = sum(independent_at_stage2(stage2_ids).values())
    window = acceptance_facts(received)
    channels = ", ".join(f"{c.label.lower()} {c.count:,}" for c in figures.by_channel) or "none"
    ext1, ext2 = extensions.get(1, {}), extensions.get(2, {})

    def extension_sentence(row: dict[str, int], number: int) -> str:
        cap = CODE_POLICY.stage(number).extension_cap_days
        if not row:
            return f"No stage {number} response in {year_label(year_starting)} needed an extension."
        return (
            f"{_n(row['n'], 'extension')} on {_n(row['stages'], 'stage ' + str(number) + ' response')}; "
            f"{_n(row['good'], 'recorded a good reason', 'recorded a good reason')} (needed beyond {cap} working "
            f"days); {_n(row['told_late'], 'was', 'were')} told to the resident after the deadline it extended."
        )

    sentences = {
        "1.4": f"{_n(requests['total'], 'service request')} recorded in the year, "
        f"{requests['completed']:,} completed; each is a record of its own, reviewable apart from complaints.",
        "1.5": f"{_n(facts['from_requests'], 'complaint')} raised about the handling of a service request, "
        "each linked to the request, which stayed open.",
        "2.1": f"{_n(refusals.not_accepted, 'complaint')} not accepted, each with a ground from the policy, an "
        "explanation and the officer who decided, recorded one by one.",
        "2.3": f"The Code's window is 12 months; the landlord's policy {window.policy_window_text}. "
        f"{_n(window.accepted_outside_code, 'complaint')} accepted although outside the Code's 12 months, "
        f"{window.accepted_outside_code_with_note:,} with the discretion considered recorded; "
        f"{_n(out_of_time, 'complaint')} refused as out of time"
        + (
            f". Finding: {_n(window.refused_inside_code, 'complaint was', 'complaints were')} refused as out of "
            "time although inside the Code's 12 months, which the Code does not allow."
            if window.refused_inside_code
            else ", none inside the Code's 12 months."
        ),
        "2.4": f"{_n(refusals.not_accepted + refusals.escalation_refused, 'refusal')} in the year (complaints not "
        "accepted and escalations refused); Putright does not record a refusal until the officer confirms the "
        "resident was given the reasons and told of the right to go to the Ombudsman.",
        "3.1": f"Stage 1 complaints received by channel: {channels}.",
        "3.6": f"{_n(figures.via_representative, 'complaint')} made through a representative, with the authority "
        "they act under recorded.",
        "5.6": f"{_n(work['acknowledged'], 'stage')} acknowledged in the year, every one with a written complaint "
        f"definition (Putright will not record an acknowledgement without one); clarification asked for on "
        f"{_n(work['clarified'], 'stage')}.",
        "5.7": f"{work['with_scope']:,} of {_n(work['acknowledged'], 'acknowledgement')} said what the landlord is "
        "and is not responsible for.",
        "5.8": f"{work['declared']:,} of {_n(work['acknowledged'], 'stage')} acknowledged have a handler's "
        "declaration of no conflict of interest.",
        "5.9": f"Of {_n(late['total'], 'response')} extended or late, {late['interval']:,} had update intervals "
        f"agreed with the resident. {_updates_sentence(updates)}",
        "5.10": f"Residents who complained in the year: {_n(adjustments['residents'], 'resident')} with "
        f"{_n(adjustments['total'], 'reasonable adjustment')} recorded ({adjustments['reviewed']:,} with a review "
        f"date, {adjustments['on_time']:,} reviewed on time, {adjustments['late']:,} reviewed late, "
        f"{adjustments['overdue']:,} overdue for review); {_n(disclosed['residents'], 'resident')} with a "
        "disability or vulnerability disclosed.",
        "5.11": f"{_n(refusals.escalation_refused, 'escalation')} refused, each on a section 2 ground with reasons.",
        "5.12": f"{facts['event_count']:,} events recorded on the year's complaints, with "
        f"{_n(attachments, 'document')} attached and {_n(facts['contacts'], 'contact')} (calls, meetings, "
        "visits and texts) on the record; each complaint keeps its whole timeline.",
        "5.13": f"{_n(remedies['at_stage1'], 'remedy', 'remedies')} offered at stage 1, without escalation.",
        "6.1": f"Complaints triaged by complexity and risk when logged: {_n(facts['high_priority'], 'complaint')} "
        f"high priority, {facts['complex']:,} complex, {facts['at_risk']:,} with a risk factor recorded "
        f"(vulnerability, health and safety, disrepair or a repeat complaint); {_n(facts['anonymous'], 'complaint')} "
        "from complainants who did not give their name, logged and investigated all the same.",
        "6.2": f"Stage 1 acknowledged within 5 working days: {_pc(s1.acknowledged_within)}.",
        "6.3": f"Stage 1 responses within the Code's timescale (CH02(1)): {_pc(s1.within_timescale)}; "
        f"{_pc(s1.within_without_extensions)} without counting extensions.",
        "6.4": extension_sentence(ext1, 1),
        "6.5": f"Every one of the {_n(ext1.get('n', 0), 'stage 1 extension')} recorded that the Ombudsman's details "
        "were given (Putright refuses an extension without it).",
        "6.6": f"{_n(actions_facts['total'], 'outstanding action')} from the year's responses: "
        f"{actions_facts['done']:,} done, {actions_facts['overdue']:,} overdue, {actions_facts['updated']:,} with an "
        "update to the resident.",
        "6.7": f"{points['answered']:,} of {_n(points['total'], 'point')} of the year's complaint definitions "
        "answered with a decision and reasons.",
        "6.8": f"{_n(facts['linked'], 'new issue')} logged as new complaints linked to an earlier one.",
        "6.9": f"{_n(s1.responded, 'stage 1 response')}; Putright will not issue one without each element "
        "the Code lists.",
        "6.11": f"Stage 2 acknowledged within 5 working days: {_pc(s2.acknowledged_within)}.",
        "6.12": f"{work['stage2_no_reason']:,} of {_n(work['stage2'], 'stage 2 request')} gave no reason, and "
        "none was required.",
        "6.13": f"{stage2_independent:,} of {_n(len(stage2_ids), 'stage 2 complaint')} were considered at stage 2 "
        "only by people who had not considered them at stage 1 (handled, defined, extended or responded to it; "
        "Putright refuses anyone who did).",
        "6.14": f"Stage 2 responses within the Code's timescale (CH02(2)): {_pc(s2.within_timescale)}; "
        f"{_pc(s2.within_without_extensions)} without counting extensions.",
        "6.15": extension_sentence(ext2, 2),
        "6.16": f"Every one of the {_n(ext2.get('n', 0), 'stage 2 extension')} recorded that the Ombudsman's details "
        "were given.",
        "6.17": f"Outstanding actions are tracked after the response: {actions_facts['done']:,} of "
        f"{actions_facts['total']:,} done.",
        "6.18": f"{_n(s2.responded, 'stage 2 response')}, every point of the definition answered with reasons.",
        "6.19": f"{_n(s2.responded, 'stage 2 response')}; Putright will not issue one without each element the "
        "Code lists, including the route to the Ombudsman.",
        "7.1": "Remedies in the year's responses: "
        + (", ".join(f"{k.label.lower()} {k.count:,}" for k in figures.remedies.by_kind) or "none")
        + f"; compensation offered £{figures.remedies.compensation.offered:,}.",
        "7.3": f"Of {_n(figures.remedies.total, 'remedy', 'remedies')}, {remedies['delivered']:,} delivered, "
        f"{remedies['agreed']:,} agreed and in hand, {remedies['overdue']:,} past the date promised.",
        # Replaced by the presentation of the previous year's report, where one is recorded (_add_governance).
        "8.2": f"The {year_label(year_starting - 1)} annual report is not recorded as presented to the governing body.",
        "9.1": f"{closed['learning']:,} of {_n(closed['total'], 'complaint')} closed in the year have a learning "
        "outcome and root cause recorded.",
        "9.3": f"{_n(improvements['linked'], 'service improvement')} linked to the year's complaints, "
        f"{improvements['completed']:,} completed in the year; {improvements['published']:,} published as "
        "'you said, we did'.",
    }
    # The provisions that mention the Ombudsman, from its casework (4.1, 7.4, 8.1, 9.7).
    sentences |= ombudsman_outcomes.evidence_sentences(landlord, period, today, figures.ombudsman)
    sentences |= restrictions.sentences(restrictions.restriction_counts(landlord, period.start, period.end, today))
    _add_policy_findings(sentences, policy_findings.compare_in_force(landlord, min(period.end, today)))
    oversight = governance_evidence(landlord.pk, year_starting)
    _add_governance(sentences, oversight.sentences)
    return YearEvidence(year_starting, sentences, answers=dict(oversight.answers))


def _add_governance(sentences: dict[str, str], found: dict[str, str]) -> None:
    """The governance records (putright.governance.evidence): who holds the oversight roles and what they
    were presented. Their 9.7 and 4.1 sentences come before the Ombudsman's; 8.2 comes from the
    presentations alone (the one record of what the governing body said)."""
    for number, line in found.items():
        if number in ("9.7", "4.1") and sentences.get(number):
            sentences[number] = f"{line} {sentences[number]}"
        else:
            sentences[number] = line


def _updates_sentence(updates: Kept) -> str:
    """Whether each update agreed with a resident went on time (5.9)."""
    if not updates.fell_due:
        to_come = f"; {_n(updates.due, 'is', 'are')} still to come" if updates.due else ""
        return f"No agreed update to a resident fell due in the year{to_come}."
    to_come = f"; {_n(updates.due, 'more is', 'more are')} not yet due" if updates.due else ""
    return (
        f"Of {_n(updates.fell_due, 'agreed update')} to residents that fell due, {updates.on_time:,} went on time, "
        f"{updates.late:,} late and {updates.missed:,} not at all{to_come}."
    )


def _add_policy_findings(sentences: dict[str, str], comparison: policy_findings.PolicyComparison) -> None:
    """5.1 (a policy that follows the Code), and each provision the policy's findings touch, from the
    policy in force at the year's end (or today, for the year in progress)."""
    version = comparison.version
    named = f"{version.name} (in force from {version.effective_from:%-d %B %Y})" if version else "No policy recorded"
    short, silent = comparison.falls_short, comparison.not_stated
    sentences["5.1"] = (
        f"{named}: falls short of the Code in {_n(len(short), 'way')}, does not state {_n(len(silent), 'number')}, "
        f"is stricter in {_n(len(comparison.stricter), 'way')}; {_n(len(comparison.review), 'setting')} for review. "
        "Putright works to the Code's numbers wherever the policy is weaker or silent."
    )
    for finding in comparison.findings:
        if not is_provision(finding.provision):
            continue  # a number from the Ombudsman's scheme, not a provision of the Code
        line = f"Policy ({finding.kind.value}): {finding.message}"
        sentences[finding.provision] = (
            f"{sentences[finding.provision]} {line}" if finding.provision in sentences else line
        )
