"""Networks, their members and their invitations as the API shows and takes them.

A member's e-mail address is shown only to the network's coordinators, as on the web's network
page; everyone else who may see the network sees names and roles. An invitation shows only what
its coordinators typed: never whether the address has an account, nor whose it is.
"""

from rest_framework import serializers

from applications.models import Network, NetworkInvitation, NetworkMember
from core.models import Province

PROVINCE_HELP = (
    "The province where the network is active, as its ISO 3166-2 code (e.g. NL-UT); null when "
    "not given. Programmes for some provinces only are open to networks there."
)


class NetworkLanguageField(serializers.ChoiceField):
    """The language a network works in: every language of the site (settings.LANGUAGES), named
    ``NetworkLanguageEnum`` in the schema (SPECTACULAR_SETTINGS' ENUM_NAME_OVERRIDES), apart from
    an agreement's ``language`` (the funds' languages only)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Network._meta.get_field("language").choices)
        kwargs.setdefault("help_text", "The language the network works in; the fund sees it.")
        super().__init__(**kwargs)


class ProvinceCodeField(serializers.SlugRelatedField):
    """A province by its code ("NL-UT"), with an error that lists what to send."""

    default_error_messages = {
        "does_not_exist": "Unknown province {value}: use a code such as NL-UT or NL-NH.",
        "invalid": "Send a province code such as NL-UT.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("help_text", PROVINCE_HELP)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)


class NetworkSerializer(serializers.ModelSerializer):
    my_role = serializers.SerializerMethodField(
        help_text="Your role in this network, or null when you are not a member."
    )
    province = ProvinceCodeField(read_only=True)
    language = NetworkLanguageField(read_only=True)

    class Meta:
        model = Network
        fields = [
            "id",
            "name",
            "description",
            "province",
            "area",
            "language",
            "legal_status",
            "kvk_number",
            "created_at",
            "my_role",
        ]

    def get_my_role(self, network) -> str | None:
        return self.context.get("my_roles", {}).get(network.pk)


class NetworkCreateSerializer(serializers.Serializer):
    """Start a network: you become its first coordinator."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    province = ProvinceCodeField(queryset=Province.objects.all(), required=False, default=None)
    area = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        default="",
        help_text="The place: town, village or neighbourhood where the network is active.",
    )
    # Not given: the model's default, the site's own language.
    language = NetworkLanguageField(required=False)
    legal_status = serializers.ChoiceField(
        choices=Network.LegalStatus.choices, default=Network.LegalStatus.NONE
    )
    kvk_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=8,
        default="",
        help_text="Chamber of Commerce number (8 digits), only for a registered network.",
    )


class NetworkMemberSerializer(serializers.ModelSerializer):
    """A member who accepted an invitation; PATCH ``role`` to change it.

    One shape for reading and writing, so the schema has one role enum for networks. People join
    only through an invitation (``…/invitations/``).
    """

    name = serializers.SerializerMethodField()
    email = serializers.EmailField(
        read_only=True,
        allow_null=True,
        help_text="Shown only to the network's coordinators: null for everyone else.",
    )
    role = serializers.ChoiceField(
        choices=NetworkMember.Role.choices,
        default=NetworkMember.Role.MEMBER,
        help_text="A network always keeps at least one coordinator.",
    )

    class Meta:
        model = NetworkMember
        fields = ["id", "name", "email", "role", "joined_at"]
        read_only_fields = ["id", "joined_at"]

    def get_name(self, member) -> str:
        return member.user.get_full_name() or member.user.get_username()

    def to_representation(self, member):
        data = {
            "id": member.pk,
            "name": self.get_name(member),
            "email": (member.user.email or None) if self.context.get("is_coordinator") else None,
            "role": member.role,
            "joined_at": serializers.DateTimeField().to_representation(member.joined_at),
        }
        return data


class NetworkInvitationSerializer(serializers.ModelSerializer):
    """An invitation, in and out: POST ``email`` and ``role`` to invite someone."""

    email = serializers.EmailField(
        max_length=254,
        help_text="The address to invite, as you typed it. The person gets a personal link and "
        "becomes a member only by accepting it, signed in with this address.",
    )
    # Its own choice set (described as what happens), so the schema names it apart from the
    # members' role enum: NetworkInvitationRoleEnum next to NetworkMemberRoleEnum.
    role = serializers.ChoiceField(
        choices=[
            (NetworkMember.Role.COORDINATOR, "Becomes a coordinator on accepting"),
            (NetworkMember.Role.MEMBER, "Becomes a member on accepting"),
        ],
        default=NetworkMember.Role.MEMBER,
        help_text="The role the person gets on accepting.",
    )
    expired = serializers.SerializerMethodField(
        help_text="The link no longer works (after 7 days): send the invitation again."
    )

    class Meta:
        model = NetworkInvitation
        fields = ["id", "email", "role", "expired", "created_at", "sent_at", "expires_at"]
        read_only_fields = ["id", "created_at", "sent_at", "expires_at"]

    def get_expired(self, invitation) -> bool:
        return invitation.is_expired()


class InvitationAnswerSerializer(serializers.Serializer):
    """The token from the invitation's link: the part after ``/invitations/``."""

    token = serializers.CharField(
        max_length=500, help_text="From the e-mailed link: the part after /invitations/."
    )
