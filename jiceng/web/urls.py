from django.urls import path

from .views import auth, inbox, orgs, pages, people, roster
from .views import ballot as ballot_views
from .views import meetings as meetings_views
from .views import minutes as minutes_views
from .views import results as results_views
from .views import rules as rules_views
from .views import schedules as schedule_views

app_name = "web"
urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.logout, name="logout"),
    path("language/", auth.set_language, name="language"),
    path("", orgs.home, name="home"),
    path("areas/<int:pk>/", orgs.area, name="area"),
    path("areas/<int:pk>/children/", orgs.area_children, name="area_children"),
    path("bodies/<int:pk>/", orgs.body, name="body"),
    path("party-orgs/drift/", orgs.party_org_drift, name="drift"),
    path("obligations/overdue/", schedule_views.overdue_obligations, name="overdue_obligations"),
    path("people/", people.people, name="people"),
    path("people/<int:pk>/", people.person, name="person"),
    path("people/import/", roster.import_page, name="roster_import"),
    path("people/import/template/", roster.import_template, name="roster_template"),
    path("people/import/<int:job>/run/", roster.import_run, name="roster_run"),
    path("people/import/<int:job>/progress/", roster.import_progress, name="roster_progress"),
    path("people/export/", roster.export, name="roster_export"),
    path("help/", pages.help_page, name="help"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/read/", inbox.inbox_read, name="inbox_read"),
    path("meetings/<int:pk>/minutes/", minutes_views.minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/minutes/generate/", minutes_views.minutes_generate, name="meeting_minutes_generate"),
    path("meetings/<int:pk>/minutes/save/", minutes_views.minutes_save, name="meeting_minutes_save"),
    path("meetings/<int:pk>/minutes/sign/", minutes_views.minutes_sign, name="meeting_minutes_sign"),
    path("meetings/<int:pk>/minutes/print/", minutes_views.minutes_print, name="meeting_minutes_print"),
    path("meetings/<int:pk>/minutes.docx", minutes_views.minutes_docx, name="meeting_minutes_docx"),
    path("ballot/", ballot_views.ballot, name="ballot"),
    path("ballot/<str:code>/", ballot_views.ballot_code, name="ballot_code"),
    path("meetings/<int:pk>/ballots/print/", ballot_views.ballot_slips, name="ballot_slips"),
    path("meetings/<int:pk>/results/", results_views.results_page, name="meeting_results"),
    path("meetings/<int:pk>/results/live/", results_views.results_live, name="meeting_results_live"),
    path("meetings/<int:pk>/items/<int:item>/tally/", results_views.tally, name="meeting_tally"),
    path("meetings/", meetings_views.meeting_list, name="meetings"),
    path("meetings/new/", meetings_views.meeting_new, name="meeting_new"),
    path("meetings/people/", meetings_views.people_search, name="meeting_people"),
    path("meetings/<int:pk>/", meetings_views.meeting, name="meeting"),
    path("meetings/<int:pk>/quorum/", meetings_views.quorum, name="meeting_quorum"),
    path("meetings/<int:pk>/items/", meetings_views.item_add, name="meeting_item_add"),
    path("meetings/<int:pk>/expected/", meetings_views.expected_set, name="meeting_expected"),
    path("meetings/<int:pk>/confirm/", meetings_views.confirm, name="meeting_confirm"),
    path("meetings/<int:pk>/approve/", meetings_views.approve, name="meeting_approve"),
    path("meetings/<int:pk>/theme/", meetings_views.theme, name="meeting_theme"),
    path("meetings/<int:pk>/report/", meetings_views.report, name="meeting_report"),
    path("meetings/<int:pk>/duty-reports/", meetings_views.duty_report, name="meeting_duty"),
    path("meetings/<int:pk>/notice/", meetings_views.notice, name="meeting_notice"),
    path("meetings/<int:pk>/hold/", meetings_views.hold, name="meeting_hold"),
    path("meetings/<int:pk>/items/<int:item>/vote/", meetings_views.vote, name="meeting_vote"),
    path("meetings/<int:pk>/items/<int:item>/defer/", meetings_views.defer, name="meeting_defer"),
    path("meetings/<int:pk>/items/<int:item>/resolve/", meetings_views.resolve, name="meeting_resolve"),
    path("meetings/<int:pk>/close/", meetings_views.close, name="meeting_close"),
    path("meetings/<int:pk>/cancel/", meetings_views.cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/results-published/", meetings_views.results_published, name="meeting_published"),
    path("bodies/<int:pk>/meetings/", meetings_views.body_meetings, name="body_meetings"),
    path("rules/", rules_views.rules, name="rules"),
]
