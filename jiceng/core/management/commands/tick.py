"""`jiceng tick`: run the periodic jobs once (ARCHITECTURE §8). Safe every minute, and twice at once."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jiceng.core.ticking import TickFailed, run_tick


class Command(BaseCommand):
    help = "Enqueue what is due (reminders and the other periodic jobs); run it every minute from cron or a timer."

    def handle(self, *args, **options):
        try:
            counts = run_tick(timezone.now())
        except TickFailed as failure:
            self._report(failure.counts)
            raise CommandError(str(failure)) from None
        self._report(counts)

    def _report(self, counts: dict[str, int]) -> None:
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
