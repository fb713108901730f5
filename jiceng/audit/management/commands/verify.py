"""`jiceng verify`: recompute every audit chain and report the first break of each (ARCHITECTURE §4)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from jiceng.audit import triggers
from jiceng.audit.chain import Tally, verify_chains


class Command(BaseCommand):
    help = "Recompute the audit chains; exit non-zero if any link is broken or the log is writable."

    def handle(self, *args, **options):
        tally = Tally()
        breaks = verify_chains(tally)
        for found in breaks:
            self.stderr.write(str(found))
        writable = not triggers.installed(connection)
        if writable:
            self.stderr.write("the triggers that keep audit events append-only are missing or disabled")
        if breaks or writable:
            raise CommandError(f"audit log verification failed: {len(breaks)} broken chain(s)"
                               + (", append-only triggers missing" if writable else ""))
        self.stdout.write(f"verified {tally.events} audit events in {tally.chains} chains: intact")
