from ninja.security import HttpBearer, SessionAuth

from jiceng.accounts.services import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


# Scripts use bearer tokens (`jiceng token USERNAME`); the web UI's htmx calls use the session (with CSRF).
AUTH = [BearerToken(), SessionAuth()]
