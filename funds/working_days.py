"""Working days in the Netherlands: weekdays that are not a Dutch public holiday.

The promised reply time is counted in these (``promised_reply_date``). Holidays come from the
``holidays`` package (Nieuwjaarsdag, Goede Vrijdag, Pasen, Koningsdag, Bevrijdingsdag every year, Hemelvaart,
Pinksteren, Kerstmis); Bevrijdingsdag is a day off for many only every five years, but a fund
that promises an answer should not count on it, so it is counted as a holiday every year.
"""

import datetime
from functools import cache

import holidays
from django.utils import timezone


@cache
def _dutch_holidays(year: int) -> frozenset[datetime.date]:
    days = set(holidays.country_holidays("NL", years=year))
    days.add(datetime.date(year, 5, 5))  # Bevrijdingsdag, see the module's docstring
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself is not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days come after ``start`` up to and including ``end`` (0 if none)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count


def promised_reply_date(programme, submitted_at: datetime.datetime) -> datetime.date:
    """The last day on which the fund promised to answer a step submitted at ``submitted_at``."""
    local_day = timezone.localdate(submitted_at)
    return add_working_days(local_day, programme.reply_working_days)


def first_day_on_time(working_days: int, today: datetime.date) -> datetime.date:
    """The earliest day a step may have been submitted and still not be past its promised
    reply date on ``today``, for a promise of ``working_days``.

    A step submitted on an earlier (local) day is late: ``promised_reply_date`` grows with the
    submission day, so one date per promise splits the late from the rest, and a list of
    thousands of submitted steps is filtered in the database rather than one by one.
    """
    day = today
    while add_working_days(day - datetime.timedelta(days=1), working_days) >= today:
        day -= datetime.timedelta(days=1)
    return day
