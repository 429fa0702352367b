"""/staff/: the workspace's pages. Signing in and out and resetting a password use Django's own
views with GOV.UK templates, and the second factor and the limits on reset links are in
putright.workspace.accounts; everything else is a view in putright.workspace.views."""

from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy
from django.views.generic import TemplateView

from putright.workspace import accounts as sign_in_pages
from putright.workspace.forms import NewPasswordForm, SignInForm
from putright.workspace.views import (
    acting,
    areas,
    confidentiality,
    contacts,
    development,
    intake,
    letters,
    lists,
    needs,
    ombudsman,
    record,
    restrictions,
    steps,
    triage,
)

app_name = "workspace"

accounts = [
    path(
        "sign-in/",
        auth.LoginView.as_view(
            template_name="workspace/accounts/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="sign-in",
    ),
    path("sign-out/", auth.LogoutView.as_view(next_page=reverse_lazy("workspace:signed-out")), name="sign-out"),
    path(
        "signed-out/",
        TemplateView.as_view(template_name="workspace/accounts/signed_out.html"),
        name="signed-out",
    ),
    path("second-factor/", sign_in_pages.second_factor, name="second-factor"),
    path("second-factor/set-up/", sign_in_pages.second_factor_setup, name="second-factor-setup"),
    path("account/security/", sign_in_pages.account_security, name="account-security"),
    path("account/security/app/", sign_in_pages.account_security_app, name="account-security-app"),
    path(
        "account/security/<slug:kind>/<int:device_id>/remove/",
        sign_in_pages.account_security_remove,
        name="account-security-remove",
    ),
    path(
        "account/colleagues/<int:user_id>/second-factor/reset/",
        sign_in_pages.colleague_second_factor_reset,
        name="colleague-second-factor-reset",
    ),
    path("password-reset/", sign_in_pages.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth.PasswordResetDoneView.as_view(template_name="workspace/accounts/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            template_name="workspace/accounts/password_reset_confirm.html",
            form_class=NewPasswordForm,
            success_url=reverse_lazy("workspace:password-reset-done"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth.PasswordResetCompleteView.as_view(template_name="workspace/accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
]

complaint = "complaints/<str:reference>/"

urlpatterns = [
    *accounts,
    path("", lists.my_work, name="my-work"),
    path("acting-for/", acting.act_for, name="acting-for"),
    path("team/", lists.team_work, name="team-work"),
    path("actions/", lists.action_list, name="actions"),
    path("actions/<int:action_id>/", lists.action_update, name="action-update"),
    path("service-requests/", intake.service_request_list, name="service-requests"),
    path("service-requests/new/", intake.service_request_log, name="service-request-log"),
    path("service-requests/<str:reference>/complaint/", intake.service_request_raise, name="service-request-raise"),
    path(
        "service-requests/<str:reference>/complete/", intake.service_request_complete, name="service-request-complete"
    ),
    path("complaints/new/", intake.log_complaint, name="complaint-log"),
    path(complaint, record.complaint_page, name="complaint"),
    path(complaint + "documents/new/", record.attach, name="complaint-attach"),
    path(complaint + "documents/<int:attachment_id>/", record.download, name="complaint-document"),
    path(complaint + "contacts/new/", contacts.record_contact, name="complaint-contact"),
    path(complaint + "representative/", contacts.representative, name="complaint-representative"),
    path(complaint + "representative/end/", contacts.end_representative, name="complaint-representative-end"),
    path(complaint + "acknowledge/", steps.acknowledge, name="complaint-acknowledge"),
    path(complaint + "extend/", steps.extend, name="complaint-extend"),
    path(complaint + "respond/", steps.respond, name="complaint-respond"),
    path(complaint + "escalate/", steps.escalate, name="complaint-escalate"),
    path(complaint + "not-accept/", steps.not_accept, name="complaint-not-accept"),
    path(complaint + "refuse-escalation/", steps.refuse_escalation, name="complaint-refuse-escalation"),
    path(complaint + "withdraw/", steps.withdraw, name="complaint-withdraw"),
    path(complaint + "clarification/", steps.clarification, name="complaint-clarification"),
    path(complaint + "update-interval/", steps.update_interval, name="complaint-update-interval"),
    path(complaint + "send-update/", steps.send_update, name="complaint-send-update"),
    path(complaint + "offer-remedy/", steps.offer_remedy, name="complaint-offer-remedy"),
    path(complaint + "ombudsman-referral/", steps.ombudsman_referral, name="complaint-ombudsman-referral"),
    path(complaint + "close/", steps.close, name="complaint-close"),
    path(complaint + "add-issue/", steps.add_issue, name="complaint-add-issue"),
    path(complaint + "learning/", steps.learning, name="complaint-learning"),
    path(complaint + "assign/", steps.assign, name="complaint-assign"),
    path(complaint + "priority/", triage.change_priority, name="complaint-priority"),
    path(complaint + "service-areas/", areas.complaint_areas, name="complaint-areas"),
    path(complaint + "confidentiality/", confidentiality.confidentiality, name="complaint-confidentiality"),
    path(complaint + "remedies/<int:remedy_id>/", steps.remedy, name="complaint-remedy"),
    path(complaint + "restrictions/new/", restrictions.propose, name="complaint-restriction-propose"),
    path(
        complaint + "restrictions/<int:restriction_id>/decide/",
        restrictions.decide,
        name="complaint-restriction-decide",
    ),
    path(
        complaint + "restrictions/<int:restriction_id>/review/",
        restrictions.review,
        name="complaint-restriction-review",
    ),
    path(complaint + "restrictions/<int:restriction_id>/end/", restrictions.end, name="complaint-restriction-end"),
    path(complaint + "letters/<int:letter_id>/", letters.letter_page, name="complaint-letter"),
    path(complaint + "letters/<int:letter_id>/pdf/", letters.letter_pdf, name="complaint-letter-pdf"),
    path(complaint + "letters/<int:letter_id>/docx/", letters.letter_word, name="complaint-letter-docx"),
    # A resident's needs (5.10), reached from one of their complaints: putright/workspace/views/needs.py.
    path(complaint + "needs/adjustments/new/", needs.adjustment_new, name="needs-adjustment-new"),
    path(complaint + "needs/adjustments/<int:adjustment_id>/", needs.adjustment_change, name="needs-adjustment-change"),
    path(complaint + "needs/adjustments/<int:adjustment_id>/end/", needs.adjustment_end, name="needs-adjustment-end"),
    path(complaint + "needs/adjustments/<int:adjustment_id>/call/", needs.phone_call, name="needs-phone-call"),
    path(complaint + "needs/vulnerabilities/new/", needs.vulnerability_new, name="needs-vulnerability-new"),
    path(
        complaint + "needs/vulnerabilities/<int:vulnerability_id>/",
        needs.vulnerability_change,
        name="needs-vulnerability-change",
    ),
    path(
        complaint + "needs/vulnerabilities/<int:vulnerability_id>/end/",
        needs.vulnerability_end,
        name="needs-vulnerability-end",
    ),
    path(complaint + "needs/safeguarding/new/", needs.safeguarding_new, name="needs-safeguarding-new"),
    path(
        complaint + "needs/safeguarding/<int:concern_id>/", needs.safeguarding_update, name="needs-safeguarding-update"
    ),
    path(complaint + "needs/formats/<int:task_id>/", needs.format_sent, name="needs-format-sent"),
    # The landlord's own service areas (issue 19): putright/workspace/views/areas.py.
    path("settings/service-areas/", areas.landlord_areas, name="service-areas"),
    path("settings/service-areas/new/", areas.landlord_area_new, name="service-area-new"),
    path("settings/service-areas/<int:area_id>/", areas.landlord_area_change, name="service-area-change"),
    path("letters/", letters.wording_list, name="letters"),
    path("letters/letterhead/", letters.style_page, name="letter-style"),
    path("letters/letterhead/mailbox/<str:token>/", letters.mailbox_confirm, name="letter-mailbox-confirm"),
    path("letters/<str:letter_type>/", letters.wording_page, name="letter-wording"),
    path("letters/<str:letter_type>/reset/", letters.wording_reset, name="letter-wording-reset"),
    path("outbox/", letters.outbox, name="outbox"),
    path("outbox/<int:message_id>/retry/", letters.outbox_retry, name="outbox-retry"),
    # Ombudsman casework (issue 16): putright/workspace/views/ombudsman.py.
    path("ombudsman/", ombudsman.case_list, name="ombudsman-cases"),
    path("ombudsman/enquiry/", ombudsman.enquiry, name="ombudsman-enquiry"),
    path(complaint + "ombudsman/", ombudsman.complaint_cases, name="complaint-ombudsman"),
    path(complaint + "ombudsman/new/", ombudsman.case_open, name="complaint-ombudsman-open"),
    path("ombudsman/<int:case_id>/", ombudsman.case_page, name="ombudsman-case"),
    path("ombudsman/<int:case_id>/change/", ombudsman.case_change, name="ombudsman-case-change"),
    path("ombudsman/<int:case_id>/stage/", ombudsman.case_move, name="ombudsman-case-move"),
    path("ombudsman/<int:case_id>/evidence/new/", ombudsman.evidence_new, name="ombudsman-evidence-new"),
    path(
        "ombudsman/<int:case_id>/evidence/<int:request_id>/sent/",
        ombudsman.evidence_sent,
        name="ombudsman-evidence-sent",
    ),
    path(
        "ombudsman/<int:case_id>/determinations/new/", ombudsman.determination_new, name="ombudsman-determination-new"
    ),
    path("ombudsman/<int:case_id>/orders/new/", ombudsman.order_new, name="ombudsman-order-new"),
    path("ombudsman/<int:case_id>/orders/<int:order_id>/", ombudsman.order_update, name="ombudsman-order-update"),
    path(
        "ombudsman/<int:case_id>/orders/<int:order_id>/confirm/",
        ombudsman.order_confirm,
        name="ombudsman-order-confirm",
    ),
    path("ombudsman/<int:case_id>/bundles/new/", ombudsman.bundle_build, name="ombudsman-bundle-build"),
    path("ombudsman/<int:case_id>/bundles/<int:version>/", ombudsman.bundle_page, name="ombudsman-bundle"),
    path(
        "ombudsman/<int:case_id>/bundles/<int:version>/download/",
        ombudsman.bundle_download,
        name="ombudsman-bundle-download",
    ),
    # With DEBUG only (a 404 otherwise): putright/workspace/views/development.py.
    path("development-email/", development.email_list, name="development-email"),
]
