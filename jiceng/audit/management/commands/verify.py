"""`jiceng verify`: recompute every audit chain and every archive record's hash, and report each break
(ARCHITECTURE §4, R-ARCH-02). `jiceng verify --dossier file.zip` checks an exported dossier offline instead
(jiceng.archives.exports.verify_zip), without touching the database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from jiceng.archives.services import broken_records
from jiceng.audit import triggers
from jiceng.audit.chain import Tally, verify_chains


class Command(BaseCommand):
    help = ("Recompute the audit chains and the archive records' hashes; exit non-zero if any link or record is "
            "broken or the tables are writable.")

    def add_arguments(self, parser):
        parser.add_argument("--dossier", action="append", metavar="PATH", default=[],
                            help="check an exported dossier (.zip) offline against its manifest; may be repeated")

    def handle(self, *args, **options):
        if options["dossier"]:
            return self.verify_dossiers(options["dossier"])
        tally = Tally()
        breaks = verify_chains(tally)
        for found in breaks:
            self.stderr.write(str(found))
        altered = list(broken_records())
        for record in altered:
            self.stderr.write(f"archive record {record.pk} (dossier {record.dossier_id} #{record.sequence}) no longer "
                              "matches the hash taken when it was filed")
        writable = not triggers.installed(connection)
        if writable:
            self.stderr.write("the triggers that keep audit events and archive records append-only are missing or "
                              "disabled")
        if breaks or altered or writable:
            raise CommandError(f"verification failed: {len(breaks)} broken chain(s), {len(altered)} altered archive "
                               "record(s)" + (", append-only triggers missing" if writable else ""))
        self.stdout.write(f"verified {tally.events} audit events in {tally.chains} chains: intact")

    def verify_dossiers(self, paths: list[str]) -> None:
        from jiceng.archives.exports import verify_zip

        failed = 0
        for path in paths:
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                problems = [f"cannot read the file: {exc.strerror or exc}"]
            else:
                problems = verify_zip(data)
            for problem in problems:
                self.stderr.write(f"{path}: {problem}")
            if problems:
                failed += 1
            else:
                self.stdout.write(f"{path}: intact")
        if failed:
            raise CommandError(f"verification failed: {failed} of {len(paths)} exported dossier(s) altered or "
                               "incomplete")
