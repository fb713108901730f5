"""Notifications and reminders: the one `notify` service (in-app, e-mail, SMS) and reminders sent once when due."""
