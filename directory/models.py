"""The referral directory: organisations and people that help networks, shared by every fund in
this installation, so that "no" always comes with somebody to call.

A referral copies an entry's contact when it is made (``applications.Referral``): editing an
entry later does not rewrite what a network was told.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.languages import SPOKEN_CODES, spoken_names
from core.models import Province
from core.phones import clean_phone, format_phone
from funds.models import Theme

#: An entry nobody checked for this long is marked as possibly out of date.
CHECK_EVERY = timedelta(days=365)


def validate_languages(value) -> None:
    if not isinstance(value, list) or any(code not in SPOKEN_CODES for code in value):
        raise ValidationError(_("Choose languages from the list."))


class DirectoryEntryQuerySet(models.QuerySet):
    def stale(self, now=None):
        return self.filter(checked_at__lt=(now or timezone.now()) - CHECK_EVERY)

    def for_region_and_themes(self, *, province_id=None, theme_ids=()):
        """Entries that serve this province (or the whole country) and share a theme (or have
        none): the ones a decline offers first."""
        entries = self
        if province_id:
            entries = entries.filter(
                models.Q(province_id=province_id) | models.Q(province__isnull=True)
            )
        if theme_ids:
            entries = entries.filter(
                models.Q(themes__in=list(theme_ids)) | models.Q(themes__isnull=True)
            )
        return entries.distinct()

    def nearest_first(self, *, province_id=None, place: str = ""):
        """The same place as the network first, then its province, then the whole country;
        by name within each."""
        place = (place or "").strip()
        nearness = [models.When(province_id=province_id, then=models.Value(1))]
        if place:
            nearness.insert(
                0, models.When(province_id=province_id, place__iexact=place, then=models.Value(0))
            )
        return self.annotate(
            nearness=models.Case(*nearness, default=models.Value(2))
            if province_id
            else models.Value(2)
        ).order_by("nearness", "name", "pk")


class DirectoryEntry(models.Model):
    class Kind(models.TextChoices):
        FUND = "fund", _("Other fund")
        MUNICIPAL = "municipal", _("Municipal scheme")
        WELFARE = "welfare", _("Welfare organisation")
        BROKER = "broker", _("Idea broker")
        BUSINESS = "business", _("Local business (gives in kind)")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    offer = models.TextField(_("what they offer"), max_length=2000)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="directory_entries"
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
        help_text=_("Leave empty if they help everywhere in the country."),
    )
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Town, village or municipality.")
    )
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, validators=[validate_languages]
    )
    programme = models.ForeignKey(
        "funds.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme in Eigenwijs"),
        help_text=_(
            "If they run a programme here, a network referred to them can apply there with the "
            "answers it already wrote."
        ),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    url = models.URLField(_("web address"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    checked_at = models.DateTimeField(_("last checked"), default=timezone.now)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last checked by"),
    )

    objects = DirectoryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phone="") | ~models.Q(email="") | ~models.Q(url=""),
                name="directory_entry_reachable",
                violation_error_message=_(
                    "Give a phone number, an e-mail address or a web address."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # One form for every number (E.164), whoever saves the entry: the pages, a decline, the
        # admin. A referral copies it as it is.
        if self.phone.strip():
            try:
                self.phone = clean_phone(self.phone)
            except ValidationError as error:
                raise ValidationError({"phone": error.messages}) from None

    def is_stale(self, now=None) -> bool:
        return self.checked_at < (now or timezone.now()) - CHECK_EVERY

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def language_names(self) -> list[str]:
        return spoken_names(self.languages)
