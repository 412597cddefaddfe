"""How a contact is typed in, shared by directory entries and referrals (``applications.referrals``)."""


def web_address(text) -> str:
    """People write "www.buurtwerk.nl"; the pages and the API accept it alike, as https."""
    text = str(text or "").strip()
    if text and "://" not in text:
        return f"https://{text}"
    return text
