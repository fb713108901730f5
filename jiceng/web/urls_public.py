"""The public site (ARCHITECTURE §7): boards, items, print sheets, QR codes, feeds, the feedback box; no account."""

from django.urls import path, register_converter

from .views import public


class BoardConverter:
    """Only the two boards match, so other public pages can live beside them under /gongkai/<community>/."""

    regex = "party|residents"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(BoardConverter, "disclosure_board")

urlpatterns = [
    path("feedback/", public.feedback_lookup, name="public_lookup"),
    path("feedback/<str:code>/", public.feedback_status, name="public_feedback_status"),
    path("text-size/", public.text_size, name="public_text_size"),
    path("language/", public.language, name="public_language"),
    path("items/<int:item_id>/", public.item_page, name="public_item"),
    path("items/<int:item_id>/print/", public.item_print, name="public_item_print"),
    path("items/<int:item_id>/qr.svg", public.item_qr, name="public_item_qr"),
    path("items/<int:item_id>/attachments/<int:attachment_id>/", public.attachment, name="public_attachment"),
    path("<int:community_id>/", public.community_home, name="public_home"),
    path("<int:community_id>/<disclosure_board:board>/", public.board_page, name="public_board"),
    path("<int:community_id>/<disclosure_board:board>/print/", public.board_print, name="public_board_print"),
    path("<int:community_id>/<disclosure_board:board>/qr.svg", public.board_qr, name="public_board_qr"),
    path("<int:community_id>/<disclosure_board:board>/feed.atom", public.board_feed, name="public_board_feed"),
]
