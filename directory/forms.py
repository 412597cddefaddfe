"""The directory's forms: they only collect input. ``directory.services`` validates the entry,
and its field errors are put back on the form (``core.web.add_service_errors``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.languages import SPOKEN
from core.models import Province
from funds.models import Programme, Theme

from .models import DirectoryEntry


class EntryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("What kind of helper is this?"),
        choices=DirectoryEntry.Kind.choices,
        initial=DirectoryEntry.Kind.OTHER,
    )
    offer = forms.CharField(
        label=_("What do they offer?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: advice on a budget, a room for meetings, small grants."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none if they help with every theme."),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("The whole country"),
        help_text=_("Leave it at “The whole country” if they help everywhere."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Town, village or municipality."),
    )
    neighbourhood = forms.CharField(label=_("Neighbourhood"), max_length=100, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages they speak"),
        choices=SPOKEN,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("For example 020 123 4567, or +32 2 555 12 12 abroad."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    # Given https:// when it has no scheme, and checked, by directory.services.
    url = forms.CharField(
        label=_("Web address"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
        help_text=_("For example www.buurtwerk.nl."),
    )
    programme = forms.ModelChoiceField(
        label=_("Their programme in Eigenwijs"),
        queryset=Programme.objects.select_related("fund").order_by("title"),
        required=False,
        empty_label=_("None"),
        help_text=_("Only if they run a programme here that networks can apply to."),
    )

    @classmethod
    def initial_for(cls, entry: DirectoryEntry) -> dict:
        """The entry as the form shows it: the phone number as people read it."""
        initial = {field: getattr(entry, field) for field in cls.base_fields}
        initial["themes"] = list(entry.themes.all())
        initial["phone"] = entry.phone_display
        return initial


class EntryFilterForm(forms.Form):
    """The directory page's filters: a plain GET form, so they work without JavaScript."""

    text = forms.CharField(label=_("Search"), required=False, max_length=100)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("All provinces"),
        help_text=_("Also shows who helps in the whole country."),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *DirectoryEntry.Kind.choices],
        required=False,
    )
    stale = forms.BooleanField(label=_("Only entries not checked for over a year"), required=False)

    def selection(self) -> dict:
        """The filters as ``directory.selectors.entry_list`` takes them; none when invalid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "province_id": data["province"].pk if data["province"] else None,
            "theme_id": data["theme"].pk if data["theme"] else None,
            "kind": data["kind"],
            "text": data["text"],
            "only_stale": data["stale"],
        }
