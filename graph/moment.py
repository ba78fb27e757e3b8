"""When a report is as of: the latest demand time stamp by default, read as the county's local time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from graph.dataformat import DEMAND_STAGES, Dataset


def default_as_of(ds: Dataset, now: datetime | None = None) -> datetime:
    """The report's moment when none is given: the latest demand time stamp, else now (to the second).

    >>> from graph.dataformat import Dataset
    >>> default_as_of(Dataset({"demands": []}), now=datetime(2026, 1, 2, 3, 4, 5, 6))
    datetime.datetime(2026, 1, 2, 3, 4, 5)
    """
    stamps = [r[s] for r in ds.rows("demands") for s in DEMAND_STAGES if r.get(s) is not None]
    if stamps:
        return max(stamps)
    return (now or datetime.now()).replace(microsecond=0)


#: The data format's times are local; an as-of moment with a UTC offset is read in the county's zone.
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")


def local_moment(moment: datetime) -> datetime:
    """A moment as the data's naive local time (China Standard Time for a zone-aware one).

    >>> from datetime import timezone
    >>> local_moment(datetime(2026, 1, 1, 0, 0, tzinfo=timezone.utc))
    datetime.datetime(2026, 1, 1, 8, 0)
    """
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(LOCAL_ZONE).replace(tzinfo=None)
