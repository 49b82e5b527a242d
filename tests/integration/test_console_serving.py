"""The web console served by the real hub (issue 15, item 1): its files at "/" on the API's
origin, a page of its own router answered with index.html, the console's strict
Content-Security-Policy and the security headers on every answer, an API path that matches
nothing still a JSON 404, and a clear page when the console is not built or not configured.
The public notices page (issue 21, item 8) the same way at "/public", from public_dir."""

import os
import shutil
import tempfile

import hub

INDEX = b"<!doctype html><html><head><script type=module src=/assets/app-1a2b.js></script>"
APP_JS = b"document.title = 'ncbnet';"


def make_console_dir(with_index: bool) -> str:
    path = tempfile.mkdtemp(prefix="ncbnet-it-console-")
    os.makedirs(os.path.join(path, "assets"))
    if with_index:
        with open(os.path.join(path, "index.html"), "wb") as f:
            f.write(INDEX)
    with open(os.path.join(path, "assets", "app-1a2b.js"), "wb") as f:
        f.write(APP_JS)
    return path


class ConsoleDirCase(hub.HubTestCase):
    """A hub whose console_dir is CONSOLE_DIR, removed with the hub."""
    CONSOLE_DIR = ""

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.CONSOLE_DIR, ignore_errors=True)


class ConsoleServingTest(ConsoleDirCase):
    CONSOLE_DIR = make_console_dir(with_index=True)
    CONFIG = {"console_dir": CONSOLE_DIR}

    def get(self, path: str) -> hub.Response:
        return self.hub.request("GET", path)

    def test_root_is_the_index_with_the_consoles_policy(self):
        resp = self.get("/")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body.encode(), INDEX)
        self.assertEqual(resp.headers.get("Content-Type"), "text/html; charset=utf-8")
        csp = resp.headers.get("Content-Security-Policy")
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                          "frame-ancestors 'none'", "object-src 'none'"):
            self.assertIn(directive, csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertEqual(resp.headers.get("Strict-Transport-Security"), "max-age=31536000")
        self.assertEqual(resp.headers.get("Referrer-Policy"), "no-referrer")
        self.assertEqual(resp.headers.get("X-Content-Type-Options"), "nosniff")
        self.assertEqual(resp.headers.get("X-Frame-Options"), "DENY")
        self.assertEqual(resp.headers.get("Cache-Control"), "no-cache")

    def test_a_hashed_asset_is_served_and_cached(self):
        resp = self.get("/assets/app-1a2b.js")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body.encode(), APP_JS)
        self.assertEqual(resp.headers.get("Content-Type"), "text/javascript; charset=utf-8")
        self.assertIn("immutable", resp.headers.get("Cache-Control"))

    def test_a_page_of_the_consoles_router_is_the_index(self):
        for path in ("/messages", "/messages/msg_1", "/checks/border"):
            resp = self.get(path)
            self.assertEqual(resp.status, 200, path)
            self.assertEqual(resp.body.encode(), INDEX, path)

    def test_nothing_outside_the_built_files_is_served(self):
        for path in ("/missing.js", "/assets/../../etc/passwd.txt", "/%2e%2e/ca.key",
                     "/assets/%2e%2e/index.html"):
            resp = self.get(path)
            self.assertError(resp, 404, "not_found")

    def test_the_api_keeps_its_own_answers_and_policy(self):
        resp = self.get("/v1/no-such-endpoint")
        self.assertError(resp, 404, "not_found")
        self.assertEqual(resp.headers.get("Content-Security-Policy"),
                         "default-src 'none'; frame-ancestors 'none'")
        self.assertEqual(self.hub.request("POST", "/", {}).status, 404)
        self.assertEqual(self.get("/healthz").status, 200)


class ConsoleNotBuiltTest(ConsoleDirCase):
    CONSOLE_DIR = make_console_dir(with_index=False)
    CONFIG = {"console_dir": CONSOLE_DIR}

    def test_root_says_the_console_is_not_built_and_names_no_path(self):
        resp = self.hub.request("GET", "/")
        self.assertEqual(resp.status, 503)
        self.assertIn("console_dir", resp.body)
        self.assertIn("npm --prefix console", resp.body)
        self.assertNotIn(self.CONSOLE_DIR, resp.body)


class NoConsoleTest(hub.HubTestCase):
    def test_root_says_the_hub_has_no_console(self):
        resp = self.hub.request("GET", "/")
        self.assertEqual(resp.status, 503)
        self.assertIn("without a web console", resp.body)


PUBLIC_INDEX = b"<!doctype html><title>Public notices</title><script type=module src=/public/assets/p-9f.js>"
PUBLIC_JS = b"document.title = 'public';"


def make_public_dir() -> str:
    path = tempfile.mkdtemp(prefix="ncbnet-it-public-")
    os.makedirs(os.path.join(path, "assets"))
    with open(os.path.join(path, "index.html"), "wb") as f:
        f.write(PUBLIC_INDEX)
    with open(os.path.join(path, "assets", "p-9f.js"), "wb") as f:
        f.write(PUBLIC_JS)
    return path


class PublicPageServingTest(ConsoleDirCase):
    """The public notices page (issue 21, item 8), served at /public beside the console, and
    the public extracts it reads answered without a login on the same origin."""
    CONSOLE_DIR = make_console_dir(with_index=True)
    PUBLIC_DIR = make_public_dir()
    CONFIG = {"console_dir": CONSOLE_DIR, "public_dir": PUBLIC_DIR}

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.PUBLIC_DIR, ignore_errors=True)

    def test_the_public_page_and_its_router_pages_are_its_index(self):
        for path in ("/public", "/public/", "/public/notices/ntc_4x2m7kq9d3vb5wz8c6ht1jrf0a"):
            resp = self.hub.request("GET", path)
            self.assertEqual(resp.status, 200, path)
            self.assertEqual(resp.body.encode(), PUBLIC_INDEX, path)
            csp = resp.headers.get("Content-Security-Policy")
            self.assertIn("script-src 'self'", csp)
            self.assertNotIn("unsafe-inline", csp)
            self.assertEqual(resp.headers.get("X-Content-Type-Options"), "nosniff")

    def test_its_assets_are_its_own_and_the_console_keeps_the_rest(self):
        resp = self.hub.request("GET", "/public/assets/p-9f.js")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body.encode(), PUBLIC_JS)
        self.assertIn("immutable", resp.headers.get("Cache-Control"))
        self.assertError(self.hub.request("GET", "/public/assets/app-1a2b.js"), 404, "not_found")
        self.assertError(self.hub.request("GET", "/public/../assets/app-1a2b.js.map"), 404,
                         "not_found")
        self.assertEqual(self.hub.request("GET", "/").body.encode(), INDEX)
        self.assertEqual(self.hub.request("GET", "/publications").body.encode(), INDEX)

    def test_the_public_extracts_answer_without_a_login(self):
        resp = self.hub.request("GET", "/v1/public/notices?limit=1")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertIn("total", resp.body)
        self.assertIn("notices", resp.body)


class NoPublicPageTest(ConsoleDirCase):
    CONSOLE_DIR = make_console_dir(with_index=True)
    CONFIG = {"console_dir": CONSOLE_DIR}

    def test_without_public_dir_public_is_a_page_of_the_console(self):
        resp = self.hub.request("GET", "/public/")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.body.encode(), INDEX)
