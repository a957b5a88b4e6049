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

After the first frame the app builds what it shows next (the sidebar's entries, the library
made ready): about 150,000 objects more, which the collector's full collections then walked
in the middle of keystrokes (two of 70 ms in 80 moves with 1,000 annotations open). So the
app runs full collections only while the reader is idle (`IdleCollections`); the young
generations are still collected as they fill, in a millisecond or two.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_SECONDS = 2.0
"""How long without a key or a mouse event before a full collection may run."""
OVERDUE = 200
"""Collections of the middle generation after which a full one runs even while the reader
works without a pause (each is one per ~7,000 objects kept: 200 of them is a good while)."""
NEVER = 1 << 30


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


class IdleCollections:
    """Full collections while the reader is idle, not in the middle of a keystroke: the
    automatic ones are held (`hold`), and `tick` (every second or so) runs one when some is
    due and no input came for IDLE_SECONDS, or when one is long overdue."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()

    @staticmethod
    def hold() -> None:
        """No automatic full collection from now on (the younger ones go on)."""
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, NEVER)

    def input_seen(self) -> None:
        self._last_input = self._clock()

    def tick(self) -> bool:
        """Run a full collection if one is due and the reader is idle (or it is overdue):
        whether it ran."""
        since_full = gc.get_count()[2]  # middle-generation collections since the last full one
        if since_full == 0 or not gc.isenabled():
            return False
        if since_full < OVERDUE and self._clock() - self._last_input < IDLE_SECONDS:
            return False
        gc.collect()
        return True
