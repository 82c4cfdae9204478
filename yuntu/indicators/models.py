"""Tallies: every additive figure per org and month, with the subtree's total kept beside the org's own.

See `yuntu.indicators.tallies` and docs/adr/0043-tallies.md.
"""

import datetime

from django.db import models

from yuntu.orgs.models import subtree_path_index

# The month of a stock figure (one not limited by a period, e.g. venues): a row outside every period.
STOCK_MONTH = datetime.date(1900, 1, 1)


class Tally(models.Model):
    """One indicator of one org and month: `own` counts the org's own records, `total` its whole subtree's.

    A dashboard reads the root's and its children's rows (an index seek each), whatever the size of
    the subtree below them.
    """

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", db_index=False)
    code = models.CharField(max_length=64)
    month = models.DateField()  # first day of the month of the records' date, STOCK_MONTH for a stock figure
    own = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "code", "month"], name="tally_key")]
        # A board reads an org's rows from the index alone (an index-only scan on PostgreSQL).
        indexes = [models.Index(fields=["org", "code", "month", "total"], name="tally_read")]


class TallyChange(models.Model):
    """An org whose records of one table changed since its tallies were last brought up to date.

    Written by database triggers on every table the tallies count (`tallies.install`), so bulk
    writes, imports and services are all seen; consumed by `tallies.refresh`.
    """

    source = models.CharField(max_length=64)  # the table
    org_id = models.BigIntegerField()
    org_path = models.CharField(max_length=255)

    class Meta:
        indexes = [subtree_path_index("tally_change_path", "org_path"),
                   models.Index(fields=["source", "org_id"], name="tally_change_source")]


class TallySource(models.Model):
    """A table the tallies watch, with the signature of its indicators' queries when last rebuilt:
    a changed definition is rebuilt at the next migrate."""

    source = models.CharField(max_length=64, primary_key=True)
    signature = models.TextField()
