from django.urls import path

from .views import contracts, network, officer, signing, transitions

urlpatterns = [
    path("sign/<str:token>/", signing.sign, name="agreement_sign"),
    path("prepare/<int:pk>/", officer.agreement_prepare, name="agreement_prepare"),
    path("<int:pk>/", officer.agreement_detail, name="agreement_detail"),
    path("<int:pk>/edit/", officer.agreement_edit, name="agreement_edit"),
    path("<int:pk>/preview/", officer.agreement_preview, name="agreement_preview"),
    path("<int:pk>/send/", transitions.agreement_send, name="agreement_send"),
    path("<int:pk>/cancel/", transitions.agreement_cancel, name="agreement_cancel"),
    path(
        "<int:pk>/countersign/",
        transitions.agreement_ask_countersign,
        name="agreement_ask_countersign",
    ),
    path(
        "<int:agreement_pk>/tranches/<int:pk>/paid/",
        transitions.tranche_mark_paid,
        name="tranche_mark_paid",
    ),
    path("<int:pk>/contract/", contracts.contract_download, name="agreement_contract"),
    path("verify/", contracts.contract_verify, name="contract_verify"),
    path("<int:pk>/reports/new/", network.report_create, name="report_create"),
    path("reports/<int:pk>/", network.report_detail, name="report_detail"),
    path("reports/<int:pk>/change/", network.report_resubmit, name="report_resubmit"),
    path(
        "reports/<int:pk>/request-changes/",
        transitions.report_request_changes,
        name="report_request_changes",
    ),
    path("reports/<int:pk>/accept/", transitions.report_accept, name="report_accept"),
    path("attachments/<int:pk>/", contracts.attachment_download, name="report_attachment"),
]
