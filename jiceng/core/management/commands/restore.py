"""`jiceng restore DIR`: bring a `jiceng backup` back into an empty database and media directory, then verify
the audit chains and archive records (jiceng.core.backup; `jiceng verify`)."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jiceng.core import backup


class Command(BaseCommand):
    help = ("Restore a `jiceng backup` directory into the configured, empty database and data dir, then run "
            "`jiceng verify`.")

    def add_arguments(self, parser):
        parser.add_argument("source", help="a directory written by `jiceng backup`")

    def handle(self, *args, **options):
        try:
            manifest = backup.restore(Path(options["source"]))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        counts = manifest["counts"]
        self.stdout.write(f"restored the backup of {manifest['created_at']}: {counts['audit_events']} audit events, "
                          f"{counts['archive_records']} archive records, {counts['media_files']} media files")
        call_command("verify", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write("run `jiceng migrate` if this version of Jiceng is newer than the backup")
