from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.language import native_names
from notifications.models import Preference


class PreferenceForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language of the screens and e-mails"),
        choices=native_names,
    )
    frequency = forms.ChoiceField(
        label=_("How often do you want e-mail?"),
        choices=Preference.Frequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Signing links and signed contracts are always sent: you need them to take part."
        ),
    )

    class Meta:
        model = Preference
        fields = ["language", "frequency"]
