"""The process's policy for Python's cycle collector, set at the entry points. No UI.

What start-up makes lives as long as the process: imported modules, the database's tables
(about 50 objects per annotation, no cycles), the app's stylesheet and widgets. Left to
the cycle collector, each full collection walks all of it again: reading 10k annotations
took twice as long, and one collection with a 5 MB article open was a 50-70 ms hitch in
the middle of a Page Down. So once start-up is over, it is frozen out of the collector's
reach; refcounting still frees whatever of it is dropped later.
"""

from __future__ import annotations

import gc


def settle_after_start_up() -> None:
    """Move every object alive now out of the cycle collector's walks: called by the
    command line once a command has read the database, and by the app after its first
    frame. Calling it again later settles what came since."""
    gc.freeze()
