"""What `presscheck key LESSON [--from HANDINS]` works on: the pack's key database and, with
hand-ins, the class's candidate items beside it. No UI.

Accepting a candidate makes an ordinary key annotation (the teacher then writes its "why");
a candidate counts as in the key once a key item of its kind covers it as `compare` would
match it, so the list shows at a glance what the key still lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.classroom.candidates import Candidate, candidate_annotation, covered, read_candidates
from reader.classroom.key_store import KEY_AUTHOR, KeyStore, open_key_store
from reader.classroom.matching import DEFAULT_THRESHOLD
from reader.classroom.pack import Pack
from reader.model import Annotation, Article


@dataclass
class KeyMode:
    """The key being written, and the class's candidates when hand-ins were given."""

    key: KeyStore
    articles: list[Article]
    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """Hand-in files that could not be read, with the reason."""
    handins: int = 0
    """How many hand-ins the candidates come from."""
    threshold: float = DEFAULT_THRESHOLD

    @property
    def pack(self) -> Pack:
        return self.key.pack

    def in_key(self, candidate: Candidate, key: Iterable[Annotation]) -> bool:
        """Whether a key item covers the candidate, as `compare` would match it."""
        return covered(candidate, key, self.threshold)

    def proposal(self, candidate: Candidate) -> Annotation:
        """The key item a candidate becomes when accepted: its passage(s) and the class's
        most common tag or relation; the "why" is the teacher's to write."""
        texts = {article.id: article.text for article in self.articles}
        return candidate_annotation(candidate, texts, KEY_AUTHOR)


def open_key_mode(pack: Pack, handins: Sequence[Path] = (), threshold: float = DEFAULT_THRESHOLD) -> KeyMode:
    """The pack's key database (its articles stored in it) and the candidates of `handins`."""
    key = open_key_store(pack)
    mode = KeyMode(key, key.articles, threshold=threshold)
    if handins:
        mode.candidates, mode.skipped = read_candidates(pack.folder, list(handins), threshold)
        mode.handins = len(handins) - len(mode.skipped)
    return mode
