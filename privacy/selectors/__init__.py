"""What we hold about one person ("My data"): ``personal_data(user=...)``, section by section."""

from .labels import FIELD_LABELS
from .personal import personal_data
from .rows import Section

__all__ = ["FIELD_LABELS", "Section", "personal_data"]
