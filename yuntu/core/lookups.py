"""Lookups of the project: `path__under=prefix` for subtrees, `pk__among=ids` for long lists of ids.

`path__under=prefix`: everything in the subtree whose materialized path starts with prefix.

PostgreSQL answers `LIKE 'prefix%'` from a `varchar_pattern_ops` index whatever the database
collation; SQLite's LIKE is case-insensitive and skips a plain index, so there the same
question is asked as a byte-order range, which a plain index answers.
Paths only hold 0-9 and A-Z, so neither form needs escaping and '~' sorts after every step.
"""

import json

from django.db.models import Lookup


class Under(Lookup):
    lookup_name = "under"

    def as_sql(self, compiler, connection):  # SQLite and others: a range.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        prefix = rhs_params[0]
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, prefix, *lhs_params, prefix + "~"]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE %s", [*lhs_params, rhs_params[0] + "%"]


class Among(Lookup):
    """`pk__among=ids`: the integer column is one of a list of ids sent as one parameter, however long.

    `IN (%s, %s, …)` compiles a parameter per id and SQLite takes 999 per statement; the scan updates
    10⁵ alerts at once. SQLite reads the list as JSON (`json_each`); PostgreSQL compares with one array
    (`= ANY`), whose length the planner sees — a join to `unnest(…)` would be planned blind.
    """

    lookup_name = "among"
    prepare_rhs = False

    def _ids(self) -> list[int]:
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(self._ids())]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, self._ids()]


def id_rows(ids: list[int], vendor: str) -> tuple[str, list]:
    """`SELECT id` over a list of ids in one parameter, for INSERT … SELECT (see `Among`)."""
    if vendor == "postgresql":
        return "SELECT unnest(%s::bigint[]) AS id", [[int(value) for value in ids]]
    return "SELECT value AS id FROM json_each(%s)", [json.dumps([int(value) for value in ids])]
