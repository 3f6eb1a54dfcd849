"""probes/live/csv_log.py: the continuous CSV log (one file per day) and the one-off export."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from probes.core.errors import RigPilotError
from probes.live.csv_log import CSV_COLUMNS, CsvLog, default_base, write_csv
from probes.live.telemetry.base import Sample


def _local(y, mo, d, h, mi):
    return dt.datetime(y, mo, d, h, mi).timestamp()


def test_csv_log_rotates_daily_with_header_and_flushes_each_row(tmp_path):
    logger = CsvLog(tmp_path / "logs" / "gpu.csv")
    start = _local(2026, 3, 1, 23, 59)
    for i in range(4):  # 23:59, 23:59:30, 00:00, 00:00:30
        logger.write(Sample(t=start + 30 * i, gpu=0, temperature_c=60.0 + i, memory_used_bytes=None))
        if i == 0:  # flushed before close
            day1 = tmp_path / "logs" / "gpu-2026-03-01.csv"
            assert len(day1.read_text().splitlines()) == 2
    logger.close()
    day1 = list(csv.reader(open(tmp_path / "logs" / "gpu-2026-03-01.csv")))
    day2 = list(csv.reader(open(tmp_path / "logs" / "gpu-2026-03-02.csv")))
    assert day1[0] == list(CSV_COLUMNS) and day2[0] == list(CSV_COLUMNS)
    assert [r[CSV_COLUMNS.index("temperature_c")] for r in day1[1:]] == ["60.0", "61.0"]
    assert len(day2) == 3
    assert day1[1][CSV_COLUMNS.index("memory_used_bytes")] == ""  # None stays empty, never 0
    # a second run the same day appends, without a second header, never truncating
    again = CsvLog(tmp_path / "logs" / "gpu.csv")
    again.write(Sample(t=start + 120, gpu=0, temperature_c=70.0))
    again.close()
    day2 = list(csv.reader(open(tmp_path / "logs" / "gpu-2026-03-02.csv")))
    assert len(day2) == 4 and day2.count(list(CSV_COLUMNS)) == 1


def test_csv_log_unwritable_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RigPilotError) as exc:
        CsvLog(blocker / "sub" / "gpu.csv").write(Sample(t=0.0, gpu=0))
    assert exc.value.code == "monitor-csv-unwritable"


def test_the_day_comes_from_the_injected_date_of_not_the_wall_clock(tmp_path):
    """Rollover follows the samples' time as ``date_of`` sees it (here: UTC days of a fixed clock)."""

    def utc_day(t: float) -> dt.date:
        return dt.datetime.fromtimestamp(t, dt.timezone.utc).date()

    midnight = dt.datetime(2026, 6, 30, tzinfo=dt.timezone.utc).timestamp() + 86400  # 1 July, 00:00 UTC
    log = CsvLog(tmp_path / "m.csv", date_of=utc_day)
    for t in (midnight - 2, midnight - 1, midnight, midnight + 86400):
        log.write(Sample(t=t, gpu=0, temperature_c=50.0))
    log.close()
    assert [p.name for p in log.paths] == ["m-2026-06-30.csv", "m-2026-07-01.csv", "m-2026-07-02.csv"]
    rows = [len(p.read_text("utf-8").splitlines()) - 1 for p in log.paths]
    assert rows == [2, 1, 1]


def test_export_writes_one_file_with_a_header(tmp_path):
    n = write_csv(tmp_path / "x.csv", [Sample(t=1.0, gpu=0), Sample(t=2.0, gpu=1)])
    assert n == 2 and len((tmp_path / "x.csv").read_text().splitlines()) == 3


def test_the_monitor_pages_log_lives_in_the_data_folder(tmp_path):
    assert default_base(tmp_path) == tmp_path / "monitor" / "monitor.csv"
    assert CsvLog(default_base(tmp_path)).path_for(dt.date(2026, 1, 2)).name == "monitor-2026-01-02.csv"
