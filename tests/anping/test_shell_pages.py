"""The shell every page shares: Chinese error pages with a way back, a 400 page for NUL bytes,
no copies of signed-in pages in caches, a Content-Security-Policy, the favicon, the portal's own
password pages, the admin's JavaScript catalog in Chinese. With DEBUG off, as in production."""

import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.template import engines
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_a_missing_page_is_a_chinese_404_with_a_way_back(client, deputy_user):
    for who in (None, deputy_user):
        if who:
            client.force_login(who)
        response = client.get("/no-such-page/")
        body = response.content.decode()
        assert response.status_code == 404
        assert "页面不存在" in body and 'href="/"' in body and "返回首页" in body
        assert "Not Found" not in body


def test_a_refused_page_is_a_chinese_403(rf):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    response = permission_denied(rf.get("/"), PermissionDenied())
    body = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in body and "返回首页" in body


def test_a_form_without_its_csrf_token_gets_the_chinese_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "表单已失效" in body and "返回首页" in body
    assert "CSRF verification failed" not in body


def test_the_500_page_renders_with_no_context_at_all():
    # Django's server_error renders the template with no request: no context processors,
    # no user, no query (the database may be what failed).
    template = engines["django"].get_template("500.html")
    body = template.render()
    assert "服务器出错" in body and 'href="/"' in body


@pytest.mark.urls("tests.anping.failing_urls")
def test_a_view_that_fails_answers_the_chinese_500(client):
    client.raise_request_exception = False
    response = client.get("/fail/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器出错" in body and "a failure the 500 page must hide" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/user/?q=%00",
        "/admin/accounts/user/?role__exact=%00",
        "/suggestions/?q=a%00b",
        "/notifications/?page=%00",
        "/admin/accounts/user/?%00=1",
    ],
)
def test_a_nul_byte_in_a_parameter_is_a_chinese_400(client, city_staff, url):
    client.force_login(city_staff)
    response = client.get(url)
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


def test_a_nul_byte_in_a_form_field_is_refused_before_any_view_reads_it(client):
    response = client.post("/accounts/login/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_a_nul_byte_in_the_path_is_a_400(client):
    assert client.get("/admin/accounts/user/%00/change/").status_code == 400


def test_pages_for_a_signed_in_person_are_never_stored(client, deputy_user):
    client.force_login(deputy_user)
    for url in ("/portal/", "/deputies/me/", "/notifications/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_every_page_carries_a_self_only_content_security_policy(client, city_staff):
    client.force_login(city_staff)
    for url in ("/accounts/login/", "/admin/", "/no-such-page/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert directives["object-src"] == ["'none'"], url
        assert "'unsafe-inline'" not in directives["script-src"]


def test_no_shell_template_holds_an_inline_script():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    shell = list(root.glob("*.html")) + list((root / "web").glob("*.html"))
    shell += list((root / "registration").glob("*.html")) + list((root / "admin").glob("*.html"))
    for path in shell:
        text = path.read_text()
        for tag in text.split("<script")[1:]:
            assert "src=" in tag.split(">")[0], path
        assert " onclick=" not in text and " onsubmit=" not in text, path


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response.url)
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
    assert 'rel="icon"' in client.get("/accounts/login/").content.decode()


def test_the_deputy_changes_the_password_on_a_portal_page(client, deputy_user):
    client.force_login(deputy_user)
    page = client.get("/accounts/password/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "修改密码" in body and "portal.css" in body
    assert "/admin/" not in body  # not the admin's page: no admin links or styles
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "pass-for-tests-1",
            "new_password1": "An-new-pass-8812",
            "new_password2": "An-new-pass-8812",
        },
    )
    assert response.status_code == 302 and response.url == "/accounts/password/done/"
    assert "密码已修改" in client.get(response.url).content.decode()
    deputy_user.refresh_from_db()
    assert deputy_user.check_password("An-new-pass-8812")


def test_a_wrong_old_password_changes_nothing(client, deputy_user):
    client.force_login(deputy_user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": "An-new-pass-8812",
            "new_password2": "An-new-pass-8812",
        },
    )
    assert response.status_code == 200
    assert "旧密码不正确" in response.content.decode() or "原密码" in response.content.decode()
    deputy_user.refresh_from_db()
    assert deputy_user.check_password("pass-for-tests-1")


def test_the_admin_javascript_catalog_is_chinese_for_the_multi_select(client, city_staff):
    client.force_login(city_staff)
    response = client.get("/admin/jsi18n/")
    body = response.content.decode()
    start = body.index("const newcatalog = ") + len("const newcatalog = ")
    catalog = json.loads(body[start : body.index(";\n", start)])
    assert catalog['Choose %s by selecting them and then select the "Choose" arrow button.'] == (
        "选中要添加的%s，然后点击“选择”箭头按钮。"
    )
    assert catalog["Choose all %s"] == "全选%s"
    assert catalog["Filter"] == "过滤"  # Django's own entries are still there


def test_the_settings_name_the_chinese_language_django_knows():
    from django.conf import settings
    from django.utils.translation import get_supported_language_variant, to_locale

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert to_locale(get_supported_language_variant("zh-cn")) == "zh_Hans"


def test_the_shell_settings_are_what_the_pages_rely_on():
    from django.conf import settings

    assert settings.CSRF_FAILURE_VIEW == "django.views.csrf.csrf_failure"  # renders 403_csrf.html
    middleware = settings.MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" in middleware
    # The NUL check runs before the session is read; no-store after the user is known.
    assert middleware.index("anping.web.middleware.RejectNulMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    assert middleware.index("anping.web.middleware.NoStoreForSignedInMiddleware") > (
        middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    )
    assert "'unsafe-inline'" not in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]
