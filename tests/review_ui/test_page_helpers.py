"""The small pure helpers behind the pages: timestamps, status labels, boxes, the login redirect target."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from review_ui.pages import _safe_next, box_style, format_iso, format_when, status_label


def test_timestamps_are_shown_in_utc_from_datetimes_and_iso_strings():
    moment = datetime(2024, 3, 12, 15, 5, 59, tzinfo=timezone(timedelta(hours=1)))
    assert format_when(moment) == "2024-03-12 14:05 UTC"
    assert format_when("2024-03-12T14:05:59.123456+00:00") == "2024-03-12 14:05 UTC"
    assert format_iso(moment) == "2024-03-12T14:05:59+00:00"
    assert format_when(None) == "" and format_iso("") == ""


def test_status_labels_read_as_words():
    assert status_label("needs_review") == "Needs review"
    assert status_label("auto_approved") == "Auto approved"
    assert status_label(None) == "Unknown"


def test_a_box_is_placed_in_percent_of_the_page():
    assert box_style([0.1, 0.25, 0.5, 0.3]) == "left:10.00%;top:25.00%;width:40.00%;height:5.00%"


@pytest.mark.parametrize("target, expected", [
    ("/review/abc", "/review/abc"),
    ("//evil.example/x", "/review"),
    ("/\\evil.example", "/review"),
    ("https://evil.example", "/review"),
    ("", "/review"),
])
def test_login_only_redirects_to_paths_of_this_site(target, expected):
    assert _safe_next(target) == expected
