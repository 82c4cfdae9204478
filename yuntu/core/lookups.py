"""`path__under=prefix`: everything in the subtree whose materialized path starts with prefix.

PostgreSQL answers `LIKE 'prefix%'` from a `varchar_pattern_ops` index whatever the database
collation; SQLite's LIKE is case-insensitive and skips a plain index, so there the same
question is asked as a byte-order range, which a plain index answers.
Paths only hold 0-9 and A-Z, so neither form needs escaping and '~' sorts after every step.
"""

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
