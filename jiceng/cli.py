"""The `jiceng` console command: Django's management commands plus our own (demo, verify, token …)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiceng", *sys.argv[1:]])


if __name__ == "__main__":
    main()
