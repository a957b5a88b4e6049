"""Finding a stored record without a scan: indexes by a field, and the next record number,
kept beside the cached tables and updated with every change. No UI."""

from __future__ import annotations

from typing import Any

from reader.snapshot import Tables, is_record_key


class RecordLookups:
    """The storage's indexes (mixed into `DurableStorage`, which owns `_data`, `_indexes`
    and `_next_ids` and clears them whenever the tables are read again)."""

    _data: Tables | None
    _indexes: dict[tuple[str, str], dict[Any, str]]
    _next_ids: dict[str, int]

    def find(self, table: str, field: str, value: Any) -> str | None:
        """The document id of the record of `table` whose `field` is `value` (an index kept
        with the cached tables, so a lookup does not scan)."""
        index = self._indexes.get((table, field))
        if index is None:
            records = (self._data or {}).get(table, {})
            index = {}
            for doc_id, record in records.items():
                key = record.get(field)
                if isinstance(key, (str, int)) and key not in index:
                    index[key] = doc_id
            self._indexes[(table, field)] = index
        return index.get(value)

    def remember(self, table: str, field: str, value: Any, doc_id: str) -> None:
        """Note in the index a record about to be added (so a batch finds its own ids)."""
        self.find(table, field, value)
        self._indexes[(table, field)].setdefault(value, doc_id)

    def next_id(self, table: str) -> str:
        """A document id not used in `table` (one past the largest, kept with the indexes)."""
        number = self._next_ids.get(table)
        if number is None:
            records = (self._data or {}).get(table, {})
            # a key that is not a sane record number is a damaged record: never int() it
            number = self._next_ids[table] = max((int(key) for key in records if is_record_key(key)), default=0) + 1
        return str(number)

    def _index_change(self, table: str, doc_id: str, doc: dict[str, Any] | None) -> None:
        if table in self._next_ids and doc is not None and is_record_key(doc_id):
            self._next_ids[table] = max(self._next_ids[table], int(doc_id) + 1)
        for (indexed_table, field), index in list(self._indexes.items()):
            if indexed_table != table:
                continue
            for key in [key for key, known in index.items() if known == doc_id] if doc is None else ():
                del index[key]
            if doc is not None and isinstance(doc.get(field), (str, int)):
                index.setdefault(doc[field], doc_id)
