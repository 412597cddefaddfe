"""Languages people speak, for saying who can help in which language (``directory``), and the
languages of this site (``settings.LANGUAGES``). Names are in their own language, so a person
finds theirs whatever language the page is in."""

#: Languages spoken at home in Dutch cities that helpers commonly offer, by ISO 639 code.
SPOKEN = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
    ("ber", "Tamaziɣt"),
    ("pl", "Polski"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("es", "Español"),
    ("pap", "Papiamentu"),
    ("srn", "Sranantongo"),
    ("so", "Soomaali"),
    ("ti", "ትግርኛ"),
    ("fa", "فارسی"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("zh", "中文"),
]

SPOKEN_CODES = frozenset(code for code, _name in SPOKEN)


def spoken_names(codes) -> list[str]:
    names = dict(SPOKEN)
    return [names[code] for code in codes if code in names]
