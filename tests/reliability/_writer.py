"""A writer process for the reliability tests: it hammers one database and acknowledges.

    python _writer.py annotations DB COUNT NAME [--wait] [--pause-ms MS] [--compact-bytes N]
    python _writer.py meta DB COUNT NAME [--wait] [--pause-ms MS] [--compact-bytes N]

It opens the database with `Store.open`, prints ``ready`` and (with ``--wait``) waits for
one line on stdin, so that several writers can be started together. Then it saves COUNT
annotations (COUNT 0: until killed) or sets COUNT settings ``NAME-<i>`` = i, and prints one
line per change ONLY AFTER the store call returned: a printed line means "reported saved".
With ``--pause-ms`` it sleeps a random 0..MS ms between changes, as a person would, which
lets the other writers take the file lock in between. With ``--compact-bytes`` the journal is
folded into a new snapshot whenever it passes N bytes, so kills also land in compactions. Ends with ``done``. Not a test module (pytest collects only ``test_*.py``).
"""

from __future__ import annotations

import itertools
import random
import sys
import time

from reader.anchoring import describe
from reader.model import Annotation
from reader.store import DurableStorage, Store

TEXT = (
    "The council said on Monday that the bridge would reopen in May. "
    "Engineers disagreed, saying repairs would take until the autumn. "
) * 4
ARTICLE = "0123456789abcdef"


def annotation(name: str, index: int) -> Annotation:
    start = (index * 7) % (len(TEXT) - 40)
    target = describe(ARTICLE, TEXT, start, start + 20 + index % 20)
    return Annotation(
        kind="claim", targets=(target,), tags=("x", name), author=name, note=f"{name} #{index}"
    )


def main(argv: list[str]) -> int:
    mode, db, count_arg, name = argv[:4]
    count = int(count_arg)
    options = argv[4:]
    if "--compact-bytes" in options:
        limit = int(options[options.index("--compact-bytes") + 1])
        DurableStorage._compact_threshold = lambda self: limit  # type: ignore[method-assign]
    store = Store.open(db)
    print("ready", flush=True)
    if "--wait" in argv[4:]:
        sys.stdin.readline()
    options = argv[4:]
    pause = float(options[options.index("--pause-ms") + 1]) / 1000 if "--pause-ms" in options else 0.0
    indices = itertools.count() if count == 0 else range(count)
    for index in indices:
        if pause and index:
            time.sleep(random.uniform(0.0, pause))
        if mode == "annotations":
            item = annotation(name, index)
            store.put_annotation(item)
            print(item.id, flush=True)  # the acknowledgment: only after the save returned
        elif mode == "meta":
            store.set_meta(f"{name}-{index}", index)
            print(f"{name}-{index}", flush=True)
        else:
            raise SystemExit(f"unknown mode {mode!r}")
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
