from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import errors
from .auth import AUTH


class ReadableJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese stays readable in responses and logs


api = NinjaAPI(
    renderer=ReadableJSON(),
    title="Jiceng API",
    version="1",
    description="基层治理平台接口。错误体：{\"error\": {\"code\", \"rule\", \"message\", \"message_en\", \"facts\"}}。"
    " Errors: 400 malformed, 401 unauthenticated, 403 scope, 404 not found or not visible, 409 state, 422 rule.",
    auth=AUTH,
    urls_namespace="api",
)
errors.install(api)

from . import (  # noqa: E402  (routers register on the api above)
    accountability,
    archives,
    ballots,
    decisions,
    disclosure,
    me,
    meetings,
    minutes,  # noqa: E402
    notifications,
    orglife,
    orgs,
    people,
    roster,
    rules,
    schedules,
)

api.add_router("/", me.router)
api.add_router("/", orgs.router)
api.add_router("/", roster.router)
api.add_router("/", people.router)
api.add_router("/", notifications.router)
api.add_router("/", meetings.router)
api.add_router("/", minutes.router)
api.add_router("/", rules.router)
api.add_router("/", ballots.router)
api.add_router("/", schedules.router)
api.add_router("/", disclosure.router)
api.add_router("/", archives.router)
api.add_router("/", decisions.router)
api.add_router("/", accountability.router)
api.add_router("/", orglife.router)

from . import finance  # noqa: E402

api.add_router("/", finance.router)

from . import office  # noqa: E402

api.add_router("/", office.router)

from . import zongzhi  # noqa: E402

api.add_router("/", zongzhi.router)

from . import party  # noqa: E402

api.add_router("/", party.router)
