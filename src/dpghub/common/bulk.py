"""Bulk writes of many rows without a model instance per row: for imports and derived indexes.

``bulk_create`` builds a model instance per row and compiles its SQL per batch; at an import's scale
(tens of rows per good, millions of rows) that is most of the time spent. :func:`rows_insert` takes
plain tuples and runs one ``executemany``; :func:`ids_allocate` hands out primary keys first, for
rows that other rows point at (a good, its provenance, its assessment), so they can be inserted the
same way. Both run in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

#: Field types whose Python values the database drivers take as they are (no preparation needed).
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey,
          models.AutoField, models.BigAutoField)
_ROWS_PER_CALL = 2000


def rows_insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (tuples of values in the order of ``columns``, the fields' attnames, e.g.
    ``good_id``) into ``model``'s table; returns the number of rows. Values of JSON, date, time and
    UUID fields are prepared as Django would. PostgreSQL receives the rows with ``COPY`` (psycopg
    adapts every value); SQLite with ``executemany``, every value a query parameter."""
    fields = [model._meta.get_field(name) for name in columns]
    prepare = [(index, _preparer(field)) for index, field in enumerate(fields) if not isinstance(field, _PLAIN)]

    def prepared(row: Sequence) -> Sequence:
        if prepare:
            row = list(row)
            for index, prepare_value in prepare:
                row[index] = prepare_value(row[index])
        return row

    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # table and column names come from the model and are quoted
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepared(row))
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        batch: list[Sequence] = []
        for row in rows:
            batch.append(prepared(row))
            if len(batch) == _ROWS_PER_CALL:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _preparer(field: models.Field) -> Callable[[Any], Any]:
    """How a value of ``field`` is made ready for the database: Django's ``get_db_prep_save``, except
    for JSON without a custom encoder, which is given as its ``json.dumps`` text (what Django stores on
    SQLite; PostgreSQL's COPY parses the text into ``jsonb``), without the layers around it, which cost
    more than the encoding of a short list."""
    if isinstance(field, models.JSONField) and field.encoder is None:
        return lambda value: None if value is None else json.dumps(value)
    return lambda value: field.get_db_prep_save(value, connection)


def ids_allocate(model: type[models.Model], count: int) -> list[int]:
    """``count`` unused primary keys of ``model`` (an auto-incremented integer key), reserved for
    the caller's transaction: PostgreSQL draws them from the key's sequence; SQLite moves the
    table's AUTOINCREMENT counter past them, a write that holds the database's write lock until
    the transaction ends, so no other writer can take the same keys."""
    if count <= 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [connection.ops.quote_name(table), pk, count])
            return [value for (value,) in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"ids_allocate supports PostgreSQL and SQLite, not {connection.vendor}")
        quoted = connection.ops.quote_name(table)
        cursor.execute("INSERT INTO sqlite_sequence (name, seq) SELECT %s, 0 "
                       "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)", [table, table])
        cursor.execute(
            f"UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max({connection.ops.quote_name(pk)}), 0) "  # noqa: S608
            f"FROM {quoted})) + %s WHERE name = %s", [count, table])
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        (last,) = cursor.fetchone()
    return list(range(last - count + 1, last + 1))
