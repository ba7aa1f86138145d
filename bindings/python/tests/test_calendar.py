"""servicedesk.BusinessCalendar: the standalone surface."""

import datetime as dt

import pytest

import servicedesk as sd

MSK = dt.timezone(dt.timedelta(hours=3))
UTC = dt.timezone.utc
H = dt.timedelta(hours=1)


def five_by_eight():
    return sd.BusinessCalendar(
        "Europe/Moscow", {d: [("09:00", "13:00"), ("14:00", "18:00")]
                          for d in range(5)})


def test_add_skips_lunch_and_night():
    cal = five_by_eight()
    due = cal.add(dt.datetime(2025, 3, 3, 12, tzinfo=MSK), 3 * H)
    assert due == dt.datetime(2025, 3, 3, 16, tzinfo=MSK)
    assert due.tzinfo == UTC
    # Friday 17:00 + 2h: Monday 10:00.
    assert cal.add(dt.datetime(2025, 3, 7, 17, tzinfo=MSK), 2 * H) == \
        dt.datetime(2025, 3, 10, 10, tzinfo=MSK)


def test_deadline_on_closing_instant_stays():
    cal = five_by_eight()
    assert cal.add(dt.datetime(2025, 3, 3, 9, tzinfo=MSK), 8 * H) == \
        dt.datetime(2025, 3, 3, 18, tzinfo=MSK)


def test_between_and_negative():
    cal = five_by_eight()
    a = dt.datetime(2025, 3, 3, 8, tzinfo=MSK)
    b = dt.datetime(2025, 3, 4, 10, 30, tzinfo=MSK)
    assert cal.between(a, b) == dt.timedelta(hours=9, minutes=30)
    assert cal.between(b, a) == -dt.timedelta(hours=9, minutes=30)


def test_microseconds_are_kept():
    cal = sd.BusinessCalendar("UTC", {d: [("00:00", "24:00")] for d in range(7)})
    start = dt.datetime(2025, 1, 1, 0, 0, 0, 123456, tzinfo=UTC)
    assert cal.add(start, dt.timedelta(microseconds=7)) == \
        start + dt.timedelta(microseconds=7)
    assert cal.between(start, start + dt.timedelta(seconds=1, microseconds=5)) \
        == dt.timedelta(seconds=1, microseconds=5)


def test_holidays_and_special_days():
    cal = sd.BusinessCalendar(
        "Europe/Moscow", {d: [("09:00", "18:00")] for d in range(5)},
        holidays=[dt.date(2025, 3, 4)],
        special_days={dt.date(2025, 3, 8): [("10:00", "12:00")],
                      dt.date(2025, 3, 5): []})
    # Monday 17:00 + 3h: Tue holiday, Wed closed, Thu 11:00.
    assert cal.add(dt.datetime(2025, 3, 3, 17, tzinfo=MSK), 3 * H) == \
        dt.datetime(2025, 3, 6, 11, tzinfo=MSK)
    # A Saturday special day opens 10:00-12:00.
    assert cal.between(dt.datetime(2025, 3, 8, 0, tzinfo=MSK),
                       dt.datetime(2025, 3, 9, 0, tzinfo=MSK)) == 2 * H
    assert cal.is_open(dt.datetime(2025, 3, 8, 11, tzinfo=MSK))
    assert cal.next_opening(dt.datetime(2025, 3, 8, 12, tzinfo=MSK)) == \
        dt.datetime(2025, 3, 10, 9, tzinfo=MSK)


def test_24_00_end_and_weekday_numbering():
    cal = sd.BusinessCalendar("UTC", {6: [("20:00", "24:00")]})  # Sunday only
    sunday = dt.datetime(2025, 3, 9, 0, tzinfo=UTC)
    assert sunday.weekday() == 6
    assert cal.add(sunday, 4 * H) == dt.datetime(2025, 3, 10, 0, tzinfo=UTC)


def test_russia_production_calendar():
    cal = sd.BusinessCalendar.russia("Europe/Moscow")
    # 2025-03-07 is shortened (until 17:00), 8 March a holiday (Saturday).
    assert cal.add(dt.datetime(2025, 3, 7, 16, tzinfo=MSK), 2 * H) == \
        dt.datetime(2025, 3, 10, 10, tzinfo=MSK)
    # 1 November 2025 is a transferred working Saturday (09:00-17:00).
    assert cal.between(dt.datetime(2025, 11, 1, 0, tzinfo=MSK),
                       dt.datetime(2025, 11, 2, 0, tzinfo=MSK)) == 8 * H
    # New Year holidays.
    assert cal.between(dt.datetime(2025, 1, 1, tzinfo=MSK),
                       dt.datetime(2025, 1, 8, 23, tzinfo=MSK)) == dt.timedelta(0)
    assert 2025 in sd.BusinessCalendar.russia_years()


def test_russia_with_own_weekly_hours():
    cal = sd.BusinessCalendar.russia(
        "Asia/Vladivostok", weekly={d: [("08:00", "17:00")] for d in range(5)})
    vl = dt.timezone(dt.timedelta(hours=10))
    # Shortened 2025-03-07 ends one hour earlier: 16:00.
    assert cal.between(dt.datetime(2025, 3, 7, 0, tzinfo=vl),
                       dt.datetime(2025, 3, 8, 0, tzinfo=vl)) == 8 * H


def test_invalid_input_names_the_field():
    with pytest.raises(sd.InvalidArgument) as e:
        sd.BusinessCalendar("Mars/Olympus", {0: [("09:00", "18:00")]})
    assert "time_zone" in str(e.value)
    with pytest.raises(sd.InvalidArgument) as e:
        sd.BusinessCalendar("UTC", {0: [("09:00", "12:00"), ("11:00", "13:00")]})
    assert "weekly" in str(e.value)
    with pytest.raises(sd.InvalidArgument):
        sd.BusinessCalendar("UTC", {0: [("9am", "18:00")]})
    with pytest.raises(sd.InvalidArgument):
        sd.BusinessCalendar("UTC", {7: [("09:00", "18:00")]})
    with pytest.raises(sd.InvalidArgument):
        sd.BusinessCalendar.russia("Nowhere/City")


def test_naive_datetimes_are_refused():
    cal = five_by_eight()
    with pytest.raises(sd.InvalidArgument):
        cal.add(dt.datetime(2025, 3, 3, 9), H)
    with pytest.raises(sd.InvalidArgument):
        cal.between(dt.datetime(2025, 3, 3, 9, tzinfo=UTC),
                    dt.datetime(2025, 3, 3, 10))
    with pytest.raises(sd.InvalidArgument):
        cal.add(dt.datetime(2025, 3, 3, 9, tzinfo=UTC), -H)


def test_text_format_round_trip():
    cal = sd.BusinessCalendar.from_text(
        "zone Europe/Moscow\nname Test\nmon-fri 09:00-18:00\n"
        "holiday 2025-03-04 Test holiday\n")
    assert cal.spec.time_zone == "Europe/Moscow"
    assert cal.between(dt.datetime(2025, 3, 3, tzinfo=MSK),
                       dt.datetime(2025, 3, 5, tzinfo=MSK)) == 9 * H
    with pytest.raises(sd.InvalidArgument):
        sd.BusinessCalendar.from_text("this is not a calendar\n")
