"""Working days in the Netherlands: the promised reply time counts neither weekends nor holidays."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from funds.working_days import (
    add_working_days,
    first_day_on_time,
    is_working_day,
    promised_reply_date,
    working_days_between,
)

D = datetime.date
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_a_weekend_is_skipped():
    friday = D(2026, 11, 27)
    assert not is_working_day(D(2026, 11, 28)) and not is_working_day(D(2026, 11, 29))
    assert add_working_days(friday, 1) == D(2026, 11, 30)
    assert add_working_days(friday, 5) == D(2026, 12, 4)


def test_the_start_day_itself_is_not_counted():
    monday = D(2026, 11, 30)
    assert add_working_days(monday, 1) == D(2026, 12, 1)
    assert add_working_days(monday, 0) == monday


def test_koningsdag_is_a_holiday():
    # 27 April 2026 is a Monday.
    assert not is_working_day(D(2026, 4, 27))
    assert add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)


def test_koningsdag_moves_to_saturday_when_the_27th_is_a_sunday():
    # In 2025 the 27th was a Sunday: Koningsdag was Saturday the 26th, so Monday 28 works.
    assert is_working_day(D(2025, 4, 28))


def test_christmas_and_boxing_day_are_holidays():
    # 25 December 2026 is a Friday, the 26th a Saturday.
    assert not is_working_day(D(2026, 12, 25))
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 28)
    # 2025: Thursday and Friday.
    assert add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 29)


def test_good_friday_and_easter_monday_are_holidays():
    # Easter 2026 is on 5 April: Good Friday the 3rd, Easter Monday the 6th.
    assert not is_working_day(D(2026, 4, 3))
    assert not is_working_day(D(2026, 4, 6))
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)


def test_bevrijdingsdag_counts_as_a_holiday_every_year():
    # 5 May 2026 is a Tuesday and not a lustrum year: still not counted (see the module).
    assert not is_working_day(D(2026, 5, 5))
    assert add_working_days(D(2026, 5, 4), 1) == D(2026, 5, 6)
    assert not is_working_day(D(2025, 5, 5))


def test_new_years_day_across_the_turn_of_the_year():
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(D(2026, 11, 27), D(2026, 11, 30)) == 1
    assert working_days_between(D(2026, 12, 24), D(2026, 12, 31)) == 4
    assert working_days_between(D(2026, 11, 30), D(2026, 11, 30)) == 0
    assert working_days_between(D(2026, 12, 1), D(2026, 11, 30)) == 0


def test_promised_reply_date_counts_ten_working_days_past_christmas():
    programme = SimpleNamespace(reply_working_days=10)
    submitted = datetime.datetime(2026, 12, 14, 10, 0, tzinfo=AMSTERDAM)
    assert promised_reply_date(programme, submitted) == D(2026, 12, 29)


def test_promised_reply_date_starts_from_the_dutch_calendar_day():
    # 23:30 UTC on Sunday is half past midnight on Monday in Amsterdam.
    programme = SimpleNamespace(reply_working_days=1)
    submitted = datetime.datetime(2026, 11, 29, 23, 30, tzinfo=datetime.UTC)
    assert promised_reply_date(programme, submitted) == D(2026, 12, 1)


@pytest.mark.parametrize("working_days", [1, 3, 10, 15])
@pytest.mark.parametrize(
    "today",
    [D(2026, 11, 30), D(2026, 11, 29), D(2026, 12, 28), D(2026, 4, 28), D(2027, 1, 4)],
)
def test_first_day_on_time_splits_late_submissions_from_the_rest(working_days, today):
    first = first_day_on_time(working_days, today)
    for back in range(1, 60):
        day = today - datetime.timedelta(days=back)
        late = add_working_days(day, working_days) < today
        assert late == (day < first), day
