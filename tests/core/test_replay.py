"""The recording host under concurrent sources: the manifest stays one valid JSON document."""

from __future__ import annotations

import json
import threading

from probes.core.replay import RecordingHost


def test_parallel_commands_never_interleave_the_manifest(tmp_path, fake_tools):
    """The probe runs its sources in threads and each recorded command rewrites manifest.json; the
    writes once ran outside the lock, and a replay then failed with 'Extra data' (seen in a full
    run). Many threads recording at once must leave every command in one readable manifest."""
    fake_tools.replay("tool", {"*": {"stdout": "x" * 2000}})
    host = RecordingHost(tmp_path / "rec", env={"PATH": fake_tools.path})
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(6):
                host.run(["tool", str(n), str(i)], timeout_s=30)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    manifest = json.loads((tmp_path / "rec" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["commands"]) == 48
    assert not list((tmp_path / "rec").glob(".manifest.json-*"))  # no temporary file left behind
