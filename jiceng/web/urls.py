from django.urls import path

from .views import auth, orgs, pages, people

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
    path("people/", people.people, name="people"),
    path("people/<int:pk>/", people.person, name="person"),
    path("help/", pages.help_page, name="help"),
]
