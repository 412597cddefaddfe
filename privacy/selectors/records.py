"""The sections of "My data" about agreements, pools and credentials."""

from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Report, ReportComment, Tranche
from integrations.models import FundAPIKey, PersonalAccessToken, WebhookEndpoint
from pools.models import Allocation, Delivery, Provider
from privacy.services.accounts import signatories_of

from .rows import Section, rows


def agreement_sections(user) -> list[Section]:
    return [
        Section(
            "signatures",
            _("Agreements that name you as a signatory"),
            rows(
                signatories_of(user).order_by("agreement_id"),
                agreement="agreement_id",
                application="agreement__application__title",
                role="role",
                name="name",
                email="email",
                date_of_birth="date_of_birth",
                address="address",
                signed_at="signed_at",
                typed_name="typed_name",
                ip_address="ip_address",
                browser="user_agent",
            ),
        ),
        Section(
            "reports",
            _("Reports you submitted"),
            rows(
                Report.objects.filter(submitted_by=user).order_by("submitted_at"),
                agreement="agreement_id",
                kind="kind",
                state="state",
                what_was_done="what_was_done",
                submitted_at="submitted_at",
            ),
        ),
        Section(
            "report_comments",
            _("Comments you wrote on reports"),
            rows(
                ReportComment.objects.filter(author=user).order_by("created_at"),
                report="report_id",
                comment="body",
                created_at="created_at",
            ),
        ),
        Section(
            "agreements_prepared",
            _("Agreements you prepared for a fund"),
            rows(
                Agreement.objects.filter(prepared_by=user).order_by("created_at"),
                agreement="pk",
                application="application__title",
                state="state",
                created_at="created_at",
            ),
        ),
        Section(
            "tranches_paid",
            _("Payments you marked as paid"),
            rows(
                Tranche.objects.filter(paid_by=user).order_by("paid_on"),
                agreement="agreement_id",
                number="number",
                amount="amount",
                paid_on="paid_on",
                reference="payment_reference",
            ),
        ),
    ]


def pool_sections(user) -> list[Section]:
    return [
        Section(
            "provider_roles",
            _("Support you provide for a pool"),
            rows(
                Provider.objects.filter(user=user),
                pool="pool__name",
                name="name",
                organisation="organisation",
                email="email",
                phone="phone",
                hourly_rate="hourly_rate",
            ),
        ),
        Section(
            "allocations_created",
            _("Support you reserved"),
            rows(
                Allocation.objects.filter(created_by=user).order_by("created_at"),
                application="application__title",
                need="need",
                hours="hours",
                note="note",
                created_at="created_at",
            ),
        ),
        Section(
            "deliveries_logged",
            _("Hours of support you logged"),
            rows(
                Delivery.objects.filter(logged_by=user).order_by("logged_at"),
                delivered_on="delivered_on",
                hours="hours",
                note="note",
                logged_at="logged_at",
            ),
        ),
    ]


def credential_sections(user) -> list[Section]:
    return [
        Section(
            "personal_tokens",
            _("Your personal access tokens"),
            rows(
                PersonalAccessToken.objects.filter(user=user).order_by("created"),
                name="name",
                prefix="prefix",
                scope="scope",
                created="created",
                last_used_at="last_used_at",
                revoked="revoked",
            ),
        ),
        Section(
            "api_keys_created",
            _("API keys you created for a fund"),
            rows(
                FundAPIKey.objects.filter(created_by=user).order_by("created"),
                fund="fund__name",
                name="name",
                prefix="prefix",
                scope="scope",
                created="created",
                revoked="revoked",
            ),
        ),
        Section(
            "webhook_endpoints_created",
            _("Webhook addresses you added for a fund"),
            rows(
                WebhookEndpoint.objects.filter(created_by=user).order_by("created_at"),
                fund="fund__name",
                url="url",
                description="description",
                created_at="created_at",
            ),
        ),
    ]
