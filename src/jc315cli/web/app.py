"""The Flask application: guards first (guards.py), then the clerk's pages (clerk.py), the
counties' (county.py), the downloads (downloads.py). Templates autoescape; no debugger, ever;
an error answers a short Chinese page and never a stack trace or a path of this PC."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from flask import Flask, g, render_template
from werkzeug.exceptions import HTTPException

from jc315cli.read.workbook import MAX_FILE_BYTES
from jc315cli.web import clerk, county, downloads, guards
from jc315cli.web.site import MAX_UPLOAD_FILES, Site

# Checked before a body is read: at most this many bytes, and this many parts.
MAX_UPLOAD_BYTES = MAX_UPLOAD_FILES * MAX_FILE_BYTES + 64 * 1024
MAX_FORM_PARTS = MAX_UPLOAD_FILES + 10  # the parts a multipart body may have, files and fields

WORDS = {
    400: "请求有误",
    401: "需要密钥：请用 jc315 web 显示的地址（或市局发来的链接）打开本页",
    403: "无权访问本页",
    404: "没有这个页面",
    405: "不能这样访问本页",
    413: f"上传的文件太大或太多（一次最多 {MAX_UPLOAD_FILES} 个，每个不超过 10 MB）",
    421: "地址不对：请用 jc315 web 显示的地址打开本页",
}


def create_app(site: Site) -> Flask:
    app = Flask(__name__)
    app.config.update(
        DEBUG=False,
        TESTING=False,
        PROPAGATE_EXCEPTIONS=False,
        TRAP_HTTP_EXCEPTIONS=False,
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        MAX_FORM_PARTS=MAX_FORM_PARTS,
        MAX_FORM_MEMORY_SIZE=64 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.jinja_env.autoescape = True
    app.extensions["jc315"] = site
    guards.install(app, site)
    clerk.install(app, site)
    county.install(app, site)
    downloads.install(app, site)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return _error_page(code, WORDS.get(code, "请求未能完成")), code

    @app.errorhandler(Exception)
    def _any(error: Exception) -> tuple[str, int]:
        # The kind of error goes to the clerk's console; the page says nothing of the code.
        print(f"jc315 web：出错了（{type(error).__name__}）", file=sys.stderr, flush=True)
        return _error_page(
            500, "出错了，请重试；如一再出现，请把命令行窗口中的提示告诉维护人员"
        ), 500

    @app.context_processor
    def _common() -> dict[str, Any]:
        who = g.get("who")
        return {
            "csrf": site.keys.csrf(who) if who is not None else "",
            "campaign": site.choice.campaign,
            "plain_on_network": site.lan and not site.secure,
            "today": date.today(),
        }

    return app


def _error_page(code: int, words: str) -> str:
    return render_template("error.html", code=code, words=words)
