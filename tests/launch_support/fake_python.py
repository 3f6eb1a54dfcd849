"""A stand-in for the venv's python in the bash launcher tests: prints {"argv", "env", "cwd"} as one JSON
line. FAKE_CRASHES=N with FAKE_COUNTER=file: exit 3 for the first N runs, then 0. FAKE_SLEEP=S: write
FAKE_READY then sleep S seconds (to be interrupted)."""

import json
import os
import sys
import time

print(
    json.dumps({"argv": sys.argv[1:], "env": dict(os.environ), "cwd": os.getcwd()}, ensure_ascii=False),
    flush=True,
)
crashes, counter = os.environ.get("FAKE_CRASHES"), os.environ.get("FAKE_COUNTER")
if os.environ.get("FAKE_SLEEP"):
    open(os.environ["FAKE_READY"], "w").close()
    time.sleep(float(os.environ["FAKE_SLEEP"]))
if crashes and counter:
    n = int(open(counter).read() or 0) if os.path.exists(counter) else 0
    with open(counter, "w") as fh:
        fh.write(str(n + 1))
    sys.exit(3 if n < int(crashes) else 0)
