"""Shared fixtures: the region tree, one account per role, Celery in process, and the browser."""

import os
import shutil

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from anping.accounts.models import User
from anping.regions.anyang import load_anyang
from anping.regions.models import Region


# The live server answers each browser connection in a thread of its own, which opens its own
# database connection and closes it when the browser closes the socket. Django makes those threads
# daemons that nobody waits for, so a request still running when the server stops kept its
# connection past the end of the run (and the test database could not be dropped). Here the
# server waits for its request threads when it stops.
class _JoiningWSGIServer(ThreadedWSGIServer):
    daemon_threads = False
    block_on_close = True


LiveServerThread.server_class = _JoiningWSGIServer

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run while
# one is running unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _fast_and_in_process(settings):
    """Cheap password hashing, and Celery tasks run in process unless a test starts a worker."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from anping.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def anyang(db) -> Region:
    """Anyang's region tree (country → province → city → counties → townships)."""
    return load_anyang()


@pytest.fixture
def linzhou(anyang) -> Region:
    return Region.objects.get(code="410581")


@pytest.fixture
def wenfeng(anyang) -> Region:
    return Region.objects.get(code="410502")


def make_user(username: str, role: str = "", **fields) -> User:
    user = User(username=username, role=role, **fields)
    user.set_password("pass-for-tests-1")
    if role in (User.Role.CITY_STAFF, User.Role.COUNTY_STAFF):
        user.is_staff = True
    user.save()
    return user


@pytest.fixture
def city_staff(anyang) -> User:
    return make_user("city", User.Role.CITY_STAFF, region=anyang, first_name="王静")


@pytest.fixture
def county_staff(linzhou) -> User:
    return make_user("linzhou", User.Role.COUNTY_STAFF, region=linzhou, first_name="李敏")


@pytest.fixture
def unit(anyang):
    from anping.orgs.models import Organisation

    return Organisation.objects.create(
        name="安阳市住房和城乡建设局", kind=Organisation.Kind.HANDLING_UNIT, region=anyang
    )


@pytest.fixture
def unit_staff(unit) -> User:
    return make_user("unit", User.Role.UNIT_STAFF, organisation=unit, first_name="赵强")


@pytest.fixture
def evaluator(anyang) -> User:
    return make_user("evaluator", User.Role.EVALUATOR, region=anyang, first_name="孙立")


@pytest.fixture
def outsider(db) -> User:
    """Signed in, with no role at all: sees nothing."""
    return make_user("outsider")


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium is not installed ({CHROMIUM} missing): the browser tests need it. "
            "Install it with `apt-get install -y chromium fonts-noto-cjk` (`make test` does this: .ci/test-deps).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _context(browser, live_server, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(15_000)
    context.base_url = live_server.url
    return context


@pytest.fixture
def page(browser, live_server):
    """A desktop browser page against the live server."""
    context = _context(browser, live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized page (375 × 812, touch), as deputies use the portal."""
    context = _context(
        browser, live_server, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, live_server, username: str, password: str = "pass-for-tests-1") -> None:
    """Log in through the real login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def deputy_user(wenfeng) -> User:
    """A city deputy (elected in 文峰区) with a portal account."""
    from tests.factories import make_deputy

    user = make_user("deputy", User.Role.DEPUTY, region=wenfeng.parent, first_name="张华")
    make_deputy(region=wenfeng, user=user, name="张华")
    return user


@pytest.fixture
def other_deputy_user(linzhou) -> User:
    """Another city deputy, elected in 林州市."""
    from tests.factories import make_deputy

    user = make_user("deputy2", User.Role.DEPUTY, region=linzhou.parent, first_name="刘洋")
    make_deputy(region=linzhou, user=user, name="刘洋")
    return user


# --- nothing left connected -------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _no_connection_left_open(django_db_setup, django_db_blocker):
    """The run fails when anything (a live-server thread, a worker, a helper process) still holds
    a connection to the test database at the end: it would otherwise only show as a warning that
    the test database could not be dropped."""
    import threading
    import traceback
    import weakref

    from django.db.backends.signals import connection_created

    opened = weakref.WeakKeyDictionary()

    def remember(sender, connection, **kwargs):
        # Where each connection was opened (thread and stack), to name a leaked one.
        stack = "".join(traceback.format_stack(limit=14)[:-2])
        opened[connection] = (threading.current_thread().name, stack)

    connection_created.connect(remember, weak=False)
    yield
    connection_created.disconnect(remember)
    import gc
    import time

    from django.db import DEFAULT_DB_ALIAS, connection, connections

    gc.collect()  # a finished thread's connection wrapper, if nothing else holds it, closes now
    # Django keeps a connection per context, and Playwright's sync API switches greenlets, each
    # with a context of its own: the test thread can end the run holding the connection it had
    # before the browser started, which pytest-django's teardown (current context only) never
    # closes. Those are this process's own; close them. A thread's or a process's still fails.
    main, current = threading.main_thread().name, connections[DEFAULT_DB_ALIAS]
    for wrapper, (thread, _stack) in list(opened.items()):
        if thread == main and wrapper is not current and wrapper.connection is not None:
            wrapper.close()

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        for _ in range(100):  # a thread that is closing gets 10 s to finish
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid, application_name, state, left(query, 200), client_port"
                    " FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                left = cursor.fetchall()
            if not left:
                return
            time.sleep(0.1)
    import subprocess

    threads = [t.name for t in threading.enumerate()]
    still_open = [
        f"{where[0]}:\n{where[1]}"
        for wrapper, where in list(opened.items())
        if wrapper.connection is not None and wrapper is not current
    ]
    owners = subprocess.run(["ss", "-tnp"], capture_output=True, text=True).stdout
    ports = [str(row[4]) for row in left]
    owners = [line for line in owners.splitlines() if any(f":{p} " in line for p in ports)]
    pytest.fail(
        f"connections to the test database left open at the end of the run: {left}; "
        f"threads alive: {threads}; sockets: {owners}; opened by: {still_open}"
    )
