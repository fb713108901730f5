from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jiceng.web"
    label = "web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .signals import copy_language_to_session

        user_logged_in.connect(copy_language_to_session, dispatch_uid="web.copy_language_to_session")
