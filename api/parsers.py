"""DRF's JSON parser, refusing three more kinds of body with a 400 instead of a server error."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.validators import ProhibitSurrogateCharactersValidator


class JSONParser(parsers.JSONParser):
    """Also refuses, anywhere in the body (object keys included):

    - nesting deeper than Python's JSON decoder goes (about a thousand ``[``): DRF's parser lets
      its RecursionError through;
    - a NUL character (``"\\u0000"``), which PostgreSQL cannot hold in text, not even in a lookup;
    - a lone surrogate (``"\\ud800"``), which no text column can store and no response can quote
      back in an error message.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError() from None
        try:
            for text in _texts(data):
                ProhibitNullCharactersValidator()(text)
                ProhibitSurrogateCharactersValidator()(text)
        except DjangoValidationError as error:
            raise ParseError(error.messages[0]) from None
        except ValidationError as error:
            raise ParseError(error.detail[0]) from None
        return data


def _texts(value):
    """Every string in parsed JSON, object keys included; a loop, so any depth is fine."""
    pending = [value]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
