"""SMS backends: console, file, and the HTTP gateway (a real local HTTP server)."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from anping.notifications import sms


def test_console_backend_writes_the_message():
    out = io.StringIO()
    sms.ConsoleBackend(stream=out).send(to="13900000001", text="您有一条建议即将到期")
    assert out.getvalue() == "[SMS to 13900000001] 您有一条建议即将到期\n"


def test_file_backend_appends_json_lines(tmp_path):
    path = tmp_path / "sms.log"
    backend = sms.FileBackend(path)
    backend.send(to="139", text="一")
    backend.send(to="138", text="二")
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert [(x["to"], x["text"]) for x in lines] == [("139", "一"), ("138", "二")]


def test_backend_comes_from_settings(settings, tmp_path):
    settings.SMS_BACKEND = "anping.notifications.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "x.log"
    backend = sms.get_backend()
    assert isinstance(backend, sms.FileBackend) and backend.path == tmp_path / "x.log"
    settings.SMS_BACKEND = ""
    assert sms.get_backend() is None


class _Gateway(BaseHTTPRequestHandler):
    status = 200
    received: list = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).received.append(
            (self.headers["Authorization"], json.loads(self.rfile.read(length)))
        )
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    _Gateway.received = []
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()


def test_http_gateway_posts_json_with_token(gateway):
    _server, url = gateway
    _Gateway.status = 200
    sms.HttpGatewayBackend(url=url, token="t0k").send(to="13900000001", text="逾期提醒")
    assert _Gateway.received == [("Bearer t0k", {"to": "13900000001", "text": "逾期提醒"})]


@pytest.mark.parametrize("status", [400, 500, 503])
def test_http_gateway_raises_on_refusal_so_the_task_retries(gateway, status):
    _server, url = gateway
    _Gateway.status = status
    with pytest.raises(sms.SmsError, match=str(status)):
        sms.HttpGatewayBackend(url=url, token="t").send(to="1", text="x")


def test_http_gateway_raises_when_unreachable():
    with pytest.raises(sms.SmsError):
        sms.HttpGatewayBackend(url="http://127.0.0.1:9/none", token="t", timeout=1).send(
            to="1", text="x"
        )


def test_http_gateway_needs_a_url(settings):
    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(sms.SmsError):
        sms.HttpGatewayBackend()
