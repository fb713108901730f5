import json
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from jiceng.core.demo import build_demo, demo_exists


class Command(BaseCommand):
    help = "Migrate, build the demo street office (once), print the logins and serve on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="build the data and exit")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, no_serve=False, addr="127.0.0.1:8000", **options):
        call_command("migrate", interactive=False, verbosity=0)
        logins_file = settings.DATA_DIR / "demo-logins.json"
        if demo_exists():
            database = settings.DATABASES["default"]["NAME"]
            self.stdout.write(f"演示数据已存在 / demo data already present: {database}")
            logins = json.loads(logins_file.read_text()) if logins_file.exists() else []
        else:
            started = time.monotonic()
            logins = build_demo(settings.DATA_DIR)
            self.stdout.write(f"演示数据已生成 / demo built in {time.monotonic() - started:.1f}s")
        self.stdout.write(f"登录账号 / logins ({logins_file}):")
        for login in logins:
            self.stdout.write(f"  {login['username']:<18} {login['password']:<14} {login['role']:<20} {login['scope']}")
        if not no_serve:
            self.stdout.write(f"打开 / open http://{addr}/")
            call_command("runserver", addr, use_reloader=False, use_threading=True)
