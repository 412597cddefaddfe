"""The web pages of accounts, networks and applications."""

from django.urls import path

from applications.views import (
    accounts,
    applications,
    comments,
    helpers,
    invitations,
    lead_officer,
    networks,
    programme_dashboard,
    queue,
    referrals,
    review,
    steps,
)

urlpatterns = [
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/magic-link/", accounts.magic_link, name="magic_link"),
    path("accounts/magic/", accounts.MagicLoginView.as_view(), name="magic_login"),
    path("networks/new/", networks.network_create, name="network_create"),
    path("networks/<int:pk>/", networks.network_detail, name="network_detail"),
    path("networks/<int:pk>/edit/", networks.network_edit, name="network_edit"),
    path("networks/<int:pk>/invite/", networks.network_invite, name="network_invite"),
    path(
        "networks/<int:pk>/members/<int:member_pk>/role/",
        networks.network_member_role,
        name="network_member_role",
    ),
    path(
        "networks/<int:pk>/members/<int:member_pk>/remove/",
        networks.network_member_remove,
        name="network_member_remove",
    ),
    path("networks/<int:pk>/leave/", networks.network_leave, name="network_leave"),
    path(
        "networks/<int:pk>/invitations/<int:invitation_pk>/resend/",
        networks.network_invitation_resend,
        name="network_invitation_resend",
    ),
    path(
        "networks/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        networks.network_invitation_revoke,
        name="network_invitation_revoke",
    ),
    path("invitations/open/<int:pk>/", invitations.invitation_open, name="invitation_open"),
    path("invitations/<str:token>/", invitations.invitation_respond, name="invitation_respond"),
    path("help/open/<int:pk>/", helpers.helper_open, name="helper_open"),
    path("help/<str:token>/", helpers.helper_respond, name="helper_respond"),
    path("applications/<int:pk>/helpers/", helpers.helper_invite, name="helper_invite"),
    path(
        "applications/<int:pk>/helpers/<int:helper_pk>/resend/",
        helpers.helper_resend,
        name="helper_resend",
    ),
    path(
        "applications/<int:pk>/helpers/<int:helper_pk>/remove/",
        helpers.helper_remove,
        name="helper_remove",
    ),
    path("my/", applications.dashboard, name="dashboard"),
    path(
        "programmes/<slug:slug>/apply/",
        applications.application_start,
        name="application_start",
    ),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/steps/<slug:key>/", steps.step_detail, name="step_detail"),
    path(
        "applications/<int:pk>/steps/<slug:key>/autosave/",
        steps.step_autosave,
        name="step_autosave",
    ),
    path(
        "applications/<int:pk>/steps/<slug:key>/comments/",
        comments.comment_create,
        name="comment_create",
    ),
    path(
        "applications/<int:pk>/comments/<int:comment_pk>/resolve/",
        comments.comment_resolve,
        name="comment_resolve",
    ),
    path(
        "applications/<int:pk>/actions/<str:name>/",
        review.application_transition,
        name="application_transition",
    ),
    path(
        "applications/<int:pk>/referrals/<int:referral_pk>/apply/",
        referrals.referral_apply,
        name="referral_apply",
    ),
    path(
        "applications/<int:pk>/lead-officer/",
        lead_officer.lead_officer_assign,
        name="application_lead_officer",
    ),
    path("queue/", queue.queue, name="queue"),
    path(
        "programmes/<slug:slug>/dashboard/",
        programme_dashboard.programme_dashboard,
        name="programme_dashboard",
    ),
]
