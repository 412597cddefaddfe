"""Applications, their steps, revisions, comments and history as the API shows and takes them."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications.models import Application, Referral, Step
from funds.models import Programme
from funds.questions import localized

MAX_ID = 2**63 - 1


def actor_label(user) -> str | None:
    """How the API names who did something: a key by its name, a person as the web does."""
    if user is None:
        return None
    # The missing reverse one-to-one raises a subclass of AttributeError, so getattr's default
    # applies; select_related("…__fund_api_key") caches the answer, so lists cost no query.
    key = getattr(user, "fund_api_key", None)
    if key is not None:
        return key.name
    return user.get_full_name() or user.get_username()


class NetworkRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LeadOfficerSerializer(serializers.Serializer):
    name = serializers.CharField()


class StepSummarySerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = ["key", "order", "title", "status", "status_changed_at"]

    def get_title(self, step) -> str:
        return localized(step.title)


class ApplicationReferralSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Referral
        fields = ["programme", "organisation", "contact_name", "phone", "email", "url", "note"]


class ApplicationDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField()
    advice = serializers.CharField()
    referrals = ApplicationReferralSerializer(many=True)


class ApplicationSerializer(serializers.ModelSerializer):
    network = NetworkRefSerializer(read_only=True)
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    fund = serializers.SlugRelatedField(source="programme.fund", slug_field="slug", read_only=True)
    current_step = serializers.SlugRelatedField(slug_field="key", read_only=True)
    steps = StepSummarySerializer(many=True, read_only=True)
    decline = serializers.SerializerMethodField(
        help_text="Why the application was declined, advice and where to go next; "
        "null unless declined."
    )
    lead_officer = serializers.SerializerMethodField(
        help_text="The fund's contact person for this application; null when it has none. "
        "Assigned on the application's page."
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "title",
            "state",
            "network",
            "programme",
            "fund",
            "requested_amount",
            "awarded_amount",
            "current_step",
            "steps",
            "decided_at",
            "decline",
            "lead_officer",
            "created_at",
            "updated_at",
        ]

    @staticmethod
    def prepare(applications):
        """The rows this serializer reads, in a constant number of queries. A step's questions
        and introduction are the bulk of its row and are not shown here, so they stay behind."""
        summary = Step.objects.defer("questions", "intro").order_by("order")
        return (
            applications.select_related("lead_officer")
            .defer("current_step__questions", "current_step__intro")
            .prefetch_related(
                Prefetch("steps", queryset=summary),
                Prefetch("referrals", queryset=Referral.objects.select_related("programme")),
            )
        )

    @extend_schema_field(LeadOfficerSerializer(allow_null=True))
    def get_lead_officer(self, application):
        officer = application.lead_officer
        if officer is None:
            return None
        return {"name": officer.get_full_name() or officer.get_username()}

    @extend_schema_field(ApplicationDeclineSerializer(allow_null=True))
    def get_decline(self, application):
        if application.state != Application.State.DECLINED:
            return None
        return ApplicationDeclineSerializer(
            {
                "reason": application.decline_reason,
                "advice": application.decline_advice,
                "referrals": application.referrals.all(),
            }
        ).data


class ProgrammeRefField(serializers.CharField):
    """A programme by slug or by id."""

    default_error_messages = {"unknown": _("There is no programme “{value}”.")}

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)  # the text, with CharField's own checks
        if value in (serializers.empty, None):
            return value
        programme = Programme.objects.select_related("fund").filter(slug=value).first()
        if programme is None and value.isdigit() and len(value) < 19:
            programme = Programme.objects.select_related("fund").filter(pk=int(value)).first()
        if programme is None:
            self.fail("unknown", value=value)
        return programme


class ApplicationCreateSerializer(serializers.Serializer):
    """Start an application for one of your networks (coordinators)."""

    network = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of a network you coordinate."
    )
    programme = ProgrammeRefField(max_length=50, help_text="The programme's slug or id.")
    title = serializers.CharField(max_length=200)
    # Unbounded here: the service answers a too-large amount with the programme's maximum.
    requested_amount = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        help_text='In euros, as a decimal string: "750.00". At most the programme\'s maximum.',
    )

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.networks = networks

    def validate_network(self, value):
        network = self.networks.filter(pk=value).first()
        if network is None:
            raise serializers.ValidationError(_("Choose one of your networks."))
        return network
