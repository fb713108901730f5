"""`jiceng backup DIR`: the database and the media files, with a manifest of checksums (jiceng.core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiceng.core import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite's backup) and the media files into a new directory."

    def add_arguments(self, parser):
        parser.add_argument("target", help="a new or empty directory")

    def handle(self, *args, **options):
        try:
            summary = backup.create(Path(options["target"]))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"backed up the {summary.engine} database ({summary.audit_events} audit events, "
                          f"{summary.archive_records} archive records) and {summary.media_files} media files "
                          f"into {options['target']}")
