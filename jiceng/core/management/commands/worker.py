"""`jiceng worker`: run queued tasks (ARCHITECTURE §8). Start as many as the load needs, on any machine.

It is django-tasks-db's `db_worker` with defaults for Jiceng: every queue, so a capability that adds a
queue needs no change to the service files. Every `db_worker` option passes through (`--help`), e.g.
`jiceng worker --batch` runs what is queued and exits; `--queue-name default` limits the queues.
"""

from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = "Run queued tasks (reminders, notifications …) from the database until stopped."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")
