from django.core.management.base import BaseCommand, CommandError

from jiceng.core import seed as seeding


class Command(BaseCommand):
    help = ("Seed a district at city scale through bulk paths: streets of 20 communities, residents, bodies, "
            "Y years of meetings, boards, feedback and matters; then run the compliance scan.")

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, required=True, help="number of communities (N)")
        parser.add_argument("--years", type=int, default=1, help="years of history back from today (Y)")
        parser.add_argument("--residents-per-community", type=int, default=1000)
        parser.add_argument("--district", default=None, help="code of an existing district to add streets to")
        parser.add_argument("--no-scan", action="store_true", help="skip the compliance scan at the end")
        parser.add_argument("--seed", type=int, default=7, help="random seed")

    def handle(self, *args, communities, years, residents_per_community, district, no_scan, seed: int, **options):
        if communities < 1 or years < 1 or residents_per_community < 20:
            raise CommandError("--communities and --years must be at least 1, --residents-per-community at least 20")
        try:
            options = seeding.SeedOptions(communities=communities, years=years, residents=residents_per_community,
                                          district=district, scan=not no_scan, seed=seed)
            result = seeding.seed(options, log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        rows = result["rows"]
        self.stdout.write(f"区 / district {result['district'].code} {result['district'].name}")
        for label, count in sorted(rows.items()):
            self.stdout.write(f"  {label:<28} {count:>10,}")
        self.stdout.write(f"  {'total':<28} {sum(rows.values()):>10,}")
        self.stdout.write(f"用时 / seconds: {result['seconds']:.1f}")
