"""The staff web UI: pages, search, masking, language, query bounds, login lockout and the admin."""

import datetime

import pytest
from django.urls import reverse

from jiceng.accounts import services as accounts
from jiceng.accounts.models import Account
from jiceng.audit.models import AuditEvent
from jiceng.orgs import services
from jiceng.orgs.models import Area, Body, Person
from tests import builders

D = datetime.date


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def committee_a(world):
    """A residents committee in community A with 张三 (lives in A) and 李四 (lives in B) as members."""
    body = services.create_body(world.root, name="长春路社区居民委员会", kind=Body.Kind.RESIDENTS_COMMITTEE,
                                area=world.a, opened_on=D(2021, 1, 1))
    services.add_membership(world.root, person=world.zhang, body=body, role="rc_director", start_on=D(2021, 1, 1))
    services.add_membership(world.root, person=world.li, body=body, role="rc_member", start_on=D(2023, 6, 1))
    return body


def party_org_of(world, n: int, area: Area):
    members = [builders.make_person(world.root, world.building_a, f"党员{i}", political_status="party_member")
               for i in range(n)]
    return services.create_body(world.root, name=f"{area.name}党支部", kind=Body.Kind.COMMUNITY_PARTY_ORG,
                                area=area, org_type="party_branch", members=members, opened_on=D(2021, 1, 1))


# Login, logout, language ---------------------------------------------------------------------------------

def test_login_page_renders_a_chinese_form(client, db):
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert "登录" in html
    assert 'lang="zh-hans"' in html


def test_pages_need_a_login(client, world):
    for url in ["/", "/people/", f"/people/{world.zhang.pk}/", f"/areas/{world.a.pk}/", "/help/",
                "/party-orgs/drift/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next=")


def test_login_with_password_goes_home_and_takes_the_account_language(client, world):
    accounts.set_language(world.worker_a, "en")
    response = client.post("/login/", {"username": "worker_a", "password": builders.PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["language"] == "en"
    assert 'lang="en"' in client.get("/").content.decode()


def test_login_without_an_account_profile_keeps_the_default_language(client, world):
    Account.objects.filter(user=world.worker_a).delete()
    client.post("/login/", {"username": "worker_a", "password": builders.PASSWORD})
    assert "language" not in client.session
    assert 'lang="zh-hans"' in client.get("/").content.decode()


def test_five_failed_logins_lock_the_username_even_for_the_right_password(client, world):
    for _ in range(5):
        client.post("/login/", {"username": "worker_a", "password": "wrong-password-1"})
    response = client.post("/login/", {"username": "worker_a", "password": builders.PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429
    html = response.content.decode()
    assert "已被锁定 30 分钟" in html and "联系系统管理员" in html


def test_four_failed_logins_do_not_lock(client, world):
    for _ in range(4):
        client.post("/login/", {"username": "worker_a", "password": "wrong-password-1"})
    client.post("/login/", {"username": "worker_a", "password": builders.PASSWORD})
    assert client.session["_auth_user_id"] == str(world.worker_a.pk)


def test_logout_is_a_post(client, world):
    login(client, world.worker_a)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_language_switch_to_english_changes_the_page_and_is_remembered(client, world, committee_a):
    login(client, world.worker_a)
    url = f"/bodies/{committee_a.pk}/?on=2024-03-05"
    assert "2024年3月5日" in client.get(url).content.decode()
    response = client.post("/language/", {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert 'lang="en"' in html
    assert "March 5, 2024" in html and "2024年3月5日" not in html
    assert client.session["language"] == "en"
    assert Account.objects.get(user=world.worker_a).language == "en"
    assert AuditEvent.objects.filter(action="accounts.language_changed", actor=world.worker_a).exists()


def test_language_switch_refuses_an_unknown_language_and_an_outside_next(client, world):
    login(client, world.worker_a)
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.session["language"] == "zh-hans"
    assert Account.objects.get(user=world.worker_a).language == "zh-hans"


# Home and areas ------------------------------------------------------------------------------------------

def test_home_shows_community_a_with_counts_for_worker_a_and_not_b(client, world):
    html = login(client, world.worker_a).get("/").content.decode()
    assert "长春路社区" in html and "青岛路社区" not in html
    assert "首页" in html and "人员" in html and "组织形式预警" in html and "帮助" in html and "退出" in html
    # The grid of A: one resident (张三), no body, one building.
    assert "居民 1 · 机构 0 · 下级区域 1" in html
    assert reverse("web:area_children", args=[world.grid_a.pk]) in html


def test_home_of_street_admin_lists_both_communities(client, world):
    html = login(client, world.street_admin).get("/").content.decode()
    assert "长春路社区" in html and "青岛路社区" in html
    assert "居民 2 · 机构 0 · 下级区域 2" in html  # the street itself


def test_home_with_two_separate_roots_loads_each_on_demand(client, world):
    user = builders.make_user(world.root, "two_roots", "viewer", world.a)
    accounts.assign_role(world.root, user=user, role="viewer", area=world.b, start_on=D(2020, 1, 1))
    html = login(client, user).get("/").content.decode()
    assert "长春路社区" in html and "青岛路社区" in html and "天津路街道" not in html
    assert reverse("web:area_children", args=[world.a.pk]) in html
    assert reverse("web:area_children", args=[world.b.pk]) in html
    assert html.count("居民 1 · 机构 0 · 下级区域 1") == 2


def test_home_without_a_role_says_so(client, world):
    user = accounts.create_account(world.root, username="nobody", password=builders.PASSWORD, area=world.a)
    html = login(client, user).get("/").content.decode()
    assert "尚未分配工作范围" in html


def test_expanding_a_node_returns_its_children_with_counts(client, world):
    builders.make_person(world.root, world.building_a, "王五")
    response = login(client, world.worker_a).get(f"/areas/{world.grid_a.pk}/children/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1号楼" in html and "居民 2 · 机构 0 · 下级区域 0" in html
    assert "<html" not in html


def test_home_query_count_does_not_grow_with_the_tree(client, world, django_assert_max_num_queries):
    for i in range(6):
        grid = builders.make_area(world.root, f"网格{i}", Area.Level.GRID, world.a)
        building = builders.make_area(world.root, f"{i}号楼", Area.Level.BUILDING, grid)
        for j in range(3):
            builders.make_person(world.root, building, f"居民{i}{j}")
    login(client, world.worker_a)
    with django_assert_max_num_queries(15):
        response = client.get("/")
    assert response.content.decode().count("居民 3 · 机构 0 · 下级区域 1") == 6


def test_area_page_shows_breadcrumb_sub_areas_bodies_and_history(client, world, committee_a):
    services.rename_area(world.root, world.grid_a, name="第一网格（东）", occurred_on=D(2024, 5, 1),
                         reason="区划调整")
    html = login(client, world.worker_a).get(f"/areas/{world.grid_a.pk}/").content.decode()
    # Above the worker's scope the street is named but not linked; the community is linked.
    assert "天津路街道" in html and reverse("web:area", args=[world.street.pk]) not in html
    assert reverse("web:area", args=[world.a.pk]) in html
    assert "1号楼" in html
    assert "第一网格 → 第一网格（东）" in html and "区划调整" in html
    community = login(client, world.worker_a).get(f"/areas/{world.a.pk}/").content.decode()
    assert "长春路社区居民委员会" in community and "社区居民委员会" in community


def test_body_page_lists_members_as_of_a_date_with_role_names(client, world, committee_a):
    login(client, world.worker_a)
    today = client.get(f"/bodies/{committee_a.pk}/").content.decode()
    assert "张三" in today and "李四" in today and "居委会主任" in today and "居委会委员" in today
    assert "13956785678" not in today and "139****5678" not in today  # names only
    before = client.get(f"/bodies/{committee_a.pk}/?on=2022-01-01").content.decode()
    assert "张三" in before and "李四" not in before


def test_body_page_with_a_malformed_date_falls_back_to_today(client, world, committee_a):
    response = login(client, world.worker_a).get(f"/bodies/{committee_a.pk}/?on=yesterday")
    assert response.status_code == 200
    assert "李四" in response.content.decode()


# People --------------------------------------------------------------------------------------------------

def test_people_search_by_initials_finds_zhang_san(client, world):
    html = login(client, world.worker_a).get("/people/", {"q": "zs"}).content.decode()
    assert 'id="people-results"' in html and 'name="q"' in html
    assert "张三" in html and reverse("web:person", args=[world.zhang.pk]) in html
    assert "13812341234" in html


def test_people_search_with_htmx_returns_only_the_results_table(client, world):
    builders.make_person(world.root, world.building_a, "王五")
    response = login(client, world.worker_a).get("/people/", {"q": "zs"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="people-results">')
    assert "张三" in html and "王五" not in html and "<html" not in html


def test_people_search_by_phone_tail_and_no_match(client, world):
    login(client, world.worker_a)
    assert "张三" in client.get("/people/", {"q": "1234"}).content.decode()
    assert "没有找到" in client.get("/people/", {"q": "zzzz"}).content.decode()


def test_people_directory_pages_by_fifty(client, world):
    for i in range(55):
        builders.make_person(world.root, world.building_a, f"居民{i:02d}")
    login(client, world.worker_a)
    first = client.get("/people/")
    assert len(first.context["people"]) == 50
    after = first.context["next_after"]
    second = client.get("/people/", {"after": after})
    assert len(second.context["people"]) == 6  # 55 + 张三
    assert second.context["next_after"] is None
    assert not {p["id"] for p in first.context["people"]} & {p["id"] for p in second.context["people"]}


def test_people_list_query_count_is_bounded(client, world, committee_a, django_assert_max_num_queries):
    for i in range(40):
        builders.make_person(world.root, world.building_a, f"居民{i:02d}", phone=f"1380000{i:04d}")
    login(client, world.worker_a)
    with django_assert_max_num_queries(9):
        response = client.get("/people/")
    assert len(response.context["people"]) == 42
    with django_assert_max_num_queries(9):
        client.get("/people/", {"q": "jm", "after": response.context["people"][3]["id"]})


def test_people_of_one_area(client, world):
    builders.make_person(world.root, world.grid_a, "赵六")
    html = login(client, world.worker_a).get("/people/", {"area": world.building_a.pk}).content.decode()
    assert "张三" in html and "赵六" not in html


def test_person_page_of_a_resident_shows_full_data(client, world):
    html = login(client, world.worker_a).get(f"/people/{world.zhang.pk}/").content.decode()
    assert "张三" in html and "13812341234" in html and world.zhang.id_number in html
    assert "已脱敏" not in html


def test_person_page_of_a_member_living_elsewhere_is_masked(client, world, committee_a):
    html = login(client, world.worker_a).get(f"/people/{world.li.pk}/").content.decode()
    assert "李四" in html and "139****5678" in html
    assert "13956785678" not in html and world.li.id_number not in html
    assert "已脱敏" in html and "长春路社区居民委员会" in html and "居委会委员" in html
    # 李四's building lies outside A: named, not linked.
    assert reverse("web:area", args=[world.building_b.pk]) not in html


def test_person_page_lists_only_memberships_the_viewer_may_see(client, world, committee_a):
    committee_b = services.create_body(world.root, name="青岛路社区居民委员会", kind=Body.Kind.RESIDENTS_COMMITTEE,
                                       area=world.b, opened_on=D(2021, 1, 1))
    services.add_membership(world.root, person=world.li, body=committee_b, role="rc_director",
                            start_on=D(2021, 1, 1))
    html = login(client, world.worker_a).get(f"/people/{world.li.pk}/").content.decode()
    assert "长春路社区居民委员会" in html and "青岛路社区居民委员会" not in html


# Drift, help ---------------------------------------------------------------------------------------------

def test_drift_page_lists_a_party_org_whose_size_no_longer_fits(client, world):
    org = party_org_of(world, 3, world.a)
    membership = org.memberships.first()
    services.end_membership(world.root, membership, end_on=D(2022, 1, 1))
    html = login(client, world.worker_a).get("/party-orgs/drift/").content.decode()
    assert org.name in html and "R-ORG-03" in html and "《重庆市街道社区党组织工作规定》第四条" in html
    assert "党支部" in html


def test_drift_page_is_empty_when_forms_fit(client, world):
    party_org_of(world, 3, world.a)
    html = login(client, world.worker_a).get("/party-orgs/drift/").content.decode()
    assert "没有需要调整组织形式" in html


def test_help_page_explains_search_masking_audit_and_dates(client, world):
    html = login(client, world.worker_a).get("/help/").content.decode()
    for text in ["登录", "zs", "后4位", "脱敏", "审计", "日期"]:
        assert text in html, text


def test_static_files_are_served_without_a_cdn(client, world):
    html = login(client, world.worker_a).get("/").content.decode()
    assert "/static/web/vendor/htmx.min.js" in html and "/static/web/app.css" in html
    assert "//cdn" not in html and "googleapis" not in html


# Admin ---------------------------------------------------------------------------------------------------

ADMIN_MODELS = ["orgs/area", "orgs/areachange", "orgs/body", "orgs/household", "orgs/person", "orgs/membership",
                "accounts/account", "accounts/roleassignment", "accounts/apitoken"]


def test_admin_lists_every_model(client, world, committee_a):
    accounts.issue_token(world.worker_a, world.worker_a)
    login(client, world.root)
    for model in ADMIN_MODELS:
        assert client.get(f"/admin/{model}/").status_code == 200, model
    for model in ["orgs/area", "orgs/body", "orgs/household", "orgs/person", "orgs/membership",
                  "accounts/roleassignment"]:
        assert client.get(f"/admin/{model}/add/").status_code == 200, model
    assert client.get(f"/admin/orgs/person/{world.zhang.pk}/change/").status_code == 200
    assert client.get(f"/admin/orgs/body/{committee_a.pk}/change/").status_code == 200
    assert client.get(f"/admin/orgs/area/{world.a.pk}/change/").status_code == 200
    token_page = client.get(f"/admin/accounts/apitoken/{world.worker_a.api_tokens.get().pk}/change/")
    assert token_page.status_code == 200 and "digest" not in token_page.content.decode()


def person_form(world, **overrides):
    data = {"name": "钱七", "gender": "male", "id_number": builders.valid_id("male"), "phone": "13700001111",
            "area": world.building_a.pk, "unit": "1", "room": "202", "household": "", "household_relation": "",
            "political_status": "masses", "_save": "1"}
    return data | overrides


def test_admin_creates_a_person_through_the_service(client, world):
    response = login(client, world.root).post("/admin/orgs/person/add/", person_form(world))
    assert response.status_code == 302
    person = Person.objects.get(name="钱七")
    assert (person.name_initials, person.phone_tail) == ("qq", "1111")
    assert AuditEvent.objects.filter(action="orgs.person_created", object_id=str(person.pk)).exists()


def test_admin_refuses_a_bad_id_number_and_writes_nothing(client, world):
    response = login(client, world.root).post("/admin/orgs/person/add/",
                                              person_form(world, id_number="12345"), follow=True)
    assert not Person.objects.filter(name="钱七").exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_admin_refuses_a_gender_that_contradicts_the_id_number(client, world):
    response = login(client, world.root).post(
        "/admin/orgs/person/add/", person_form(world, id_number=builders.valid_id("female")), follow=True)
    assert not Person.objects.filter(name="钱七").exists()
    assert "性别与公民身份号码" in response.content.decode()


def test_admin_edits_a_person_through_the_service(client, world):
    data = person_form(world, name="张叁", id_number=world.zhang.id_number, phone="13812341234", unit="2",
                       room="301")
    response = login(client, world.root).post(f"/admin/orgs/person/{world.zhang.pk}/change/", data)
    assert response.status_code == 302
    world.zhang.refresh_from_db()
    assert (world.zhang.name, world.zhang.name_pinyin) == ("张叁", "zhangsan")
    assert AuditEvent.objects.filter(action="orgs.person_updated", object_id=str(world.zhang.pk)).exists()


def test_admin_renames_an_area_through_the_service(client, world):
    data = {"name": "长春路新社区", "parent": world.street.pk, "closed_on": "", "reason": "更名", "_save": "1"}
    response = login(client, world.root).post(f"/admin/orgs/area/{world.a.pk}/change/", data)
    assert response.status_code == 302
    assert world.a.changes.filter(kind="renamed", new_name="长春路新社区", reason="更名").exists()


def test_admin_assigns_a_role_through_the_service(client, world):
    user = accounts.create_account(world.root, username="newbie", password=builders.PASSWORD, area=world.a)
    data = {"user": user.pk, "role": "viewer", "area": world.a.pk, "body": "", "start_on": "2024-01-01",
            "end_on": "", "_save": "1"}
    assert login(client, world.root).post("/admin/accounts/roleassignment/add/", data).status_code == 302
    assert user.role_assignments.get().role == "viewer"
    assert AuditEvent.objects.filter(action="accounts.role_assigned").exists()
