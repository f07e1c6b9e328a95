from datetime import UTC, datetime

import pytest

from distributor.content.dates import parse_date_line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("11/09/24", (2024, 9, 11)),
        ("11-09-2024", (2024, 9, 11)),
        ("12 maart 2024", (2024, 3, 12)),
        ("Gepubliceerd op 3 maart 2024", (2024, 3, 3)),
        ("1er mars 2024", (2024, 3, 1)),
        ("Publié le 12 mars 2024", (2024, 3, 12)),
        ("March 12, 2024", (2024, 3, 12)),
        ("Published on Tuesday, March 12, 2024", (2024, 3, 12)),
        ("2024-03-12", (2024, 3, 12)),
    ],
)
def test_standalone_date_lines_are_read_day_first_at_midnight_utc(line, expected):
    assert parse_date_line(line) == datetime(*expected, tzinfo=UTC)


@pytest.mark.parametrize(
    "line", ["31/02/24", "Op 12 maart 2024 begon ik te trainen.", "2013", "12 tips", ""]
)
def test_lines_that_are_not_only_a_valid_date_give_none(line):
    assert parse_date_line(line) is None
