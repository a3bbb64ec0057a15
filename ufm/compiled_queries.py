"""ORM queries turned into SQL once per process and run again with other values: for the few
small reads that every autosave and page makes, where Django building the statement cost
several times what the database took to answer it (bench/RESULTS.md): as rows of values, or
as the model instances the ORM would give, with their ``select_related`` ones."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Stand-ins for the values while the ORM writes the statement: numbers no row id can be, so
# that each one found among the statement's parameters is where a value goes.
_STAND_INS = tuple(-(2**62) - n for n in range(1, 9))


class CompiledQuery:
    """``build(*values)`` is a queryset of ``values_list`` rows, its values all whole numbers
    (ids); ``rows(*values)`` answers what ``list(build(*values))`` would, with the statement
    written once per database connection's kind and transaction state, then only run.

    The rows are the database's own values (no field conversion): ids, text and, for a
    boolean, True/False on PostgreSQL but 1/0 on SQLite; callers use them as truth values.
    A value that is not a whole number (None would make the ORM write ``IS NULL``, another
    statement) is refused."""

    def __init__(self, build: Callable[..., QuerySet], *, using: str = "default") -> None:
        self.build = build
        self.using = using
        # Two threads compiling at once both write the same statement: no lock needed.
        self._compiled: dict[tuple, tuple[str, list, list[list[int]]]] = {}
        # ``objects``' statements with the compiler that wrote them, which converts their rows
        # with its own connection's rules: one per thread, as each thread has its connection.
        self._per_thread = threading.local()

    def rows(self, *values: int) -> list[tuple]:
        connection = connections[self.using]
        # Inside a transaction a select_for_update() query says FOR UPDATE; outside it refuses.
        key = (connection.vendor, connection.in_atomic_block, len(values))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(len(values))
        return self._run(connection, compiled, values)

    def objects(self, *values: int) -> list[Model]:
        """What ``list(build(*values))`` gives when ``build`` makes a queryset of model
        instances: the same instances, with the same related ones (``select_related``)."""
        connection = connections[self.using]
        found = self._per_thread.__dict__.setdefault("compiled", {})
        key = (id(connection), connection.in_atomic_block, len(values))
        if key not in found:
            found[key] = self._compile_objects(len(values))
        compiled, compiler, model, start, end, names, related = found[key]
        instances = []
        # As Django's ModelIterable builds them from a compiler's rows.
        for row in compiler.results_iter([self._run(connection, compiled, values)]):
            instance = model.from_db(self.using, names, row[start:end])
            for populator in related:
                populator.populate(row, instance)
            instances.append(instance)
        return instances

    def _compile_objects(self, count: int) -> tuple:
        """The statement, its compiler (which converts the rows) and what ModelIterable reads
        off the compiler to build instances, all made once."""
        queryset = self.build(*_STAND_INS[:count])
        compiler = queryset.query.get_compiler(using=self.using)
        compiled = self._places(*compiler.as_sql(), count)
        if compiler.annotation_col_map or queryset._known_related_objects:
            raise ValueError("Only a model's own fields and select_related ones are built.")
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        related = get_related_populators(klass_info, select, self.using)
        return compiled, compiler, klass_info["model"], start, end, names, related

    def _run(self, connection, compiled: tuple, values: tuple) -> list[tuple]:
        for value in values:
            if type(value) is not int:
                raise TypeError(f"A compiled query takes whole numbers, not {value!r}.")
        sql, params, places = compiled
        params = list(params)
        for value, positions in zip(values, places, strict=True):
            for position in positions:
                params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _compile(self, count: int) -> tuple[str, list, list[list[int]]]:
        return self._places(*self.build(*_STAND_INS[:count]).query.sql_with_params(), count)

    @staticmethod
    def _places(sql: str, params, count: int) -> tuple[str, list, list[list[int]]]:
        """The statement, its parameters, and where in them each value goes."""
        params = list(params)
        places = [
            [i for i, p in enumerate(params) if type(p) is int and p == s]
            for s in _STAND_INS[:count]
        ]
        if not all(places):
            raise ValueError("Each value must be a parameter of the statement.")
        return sql, params, places
