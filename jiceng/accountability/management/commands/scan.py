"""`jiceng scan [AREA_CODE]`: run the compliance scan now, for all communities or those under one area."""

from django.core.management.base import BaseCommand, CommandError

from jiceng.accountability.scan import run_scan
from jiceng.orgs.models import Area


class Command(BaseCommand):
    help = "Run the compliance scan; print how many findings were opened, seen again and cured."

    def add_arguments(self, parser):
        parser.add_argument("area", nargs="?", help="code of the district, street or community to scan")

    def handle(self, *args, **options):
        scope = None
        if options["area"]:
            scope = Area.objects.filter(code=options["area"]).first()
            if scope is None:
                raise CommandError(f"no area with code {options['area']!r}")
        counts = run_scan(scope)
        self.stdout.write(f"opened {counts.get('opened', 0)}, seen again {counts.get('seen', 0)}, "
                          f"cured {counts.get('cured', 0)}")
        for name, n in sorted(counts.items()):
            if "." in name:
                self.stdout.write(f"  {name}: {n}")
