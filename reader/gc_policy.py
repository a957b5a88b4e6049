"""The process's policy for Python's cycle collector, set at the entry points. No UI.

What start-up makes lives as long as the process: imported modules, the database's tables
(about 50 objects per annotation, no cycles), the app's stylesheet and widgets. Left to
the cycle collector, each full collection walks all of it again: reading 10k annotations
took twice as long, and one collection with a 5 MB article open was a 50-70 ms hitch in
the middle of a Page Down. So once start-up is over, it is frozen out of the collector's
reach; refcounting still frees whatever of it is dropped later.

Opening the app goes further: the collector is off from the start until the first frame
(`hold_collections`), when everything is frozen and it is turned back on. Its runs before
the first frame walked Textual's modules and the database again and again (50 ms of a
5 MB article's start on a slow machine); the garbage they would have freed is a few
hundred objects. An import holds it to the end: everything it makes lives till then.
"""

from __future__ import annotations

import gc


def hold_collections() -> None:
    """No cycle collection until `settle_after_start_up`: called by the command line as it
    starts opening the app, which settles once its first frame is drawn."""
    gc.disable()


def settle_after_start_up() -> None:
    """Move every object alive now out of the cycle collector's walks, and let it run again
    if it was held: called by the command line once a command has read the database, and by
    the app after its first frame. Calling it again later settles what came since."""
    gc.freeze()
    gc.enable()
