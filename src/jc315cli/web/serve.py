"""Serving the page until Ctrl+C or SIGTERM: waitress on loopback (or the office network with
--lan/--host), or, with --cert/--key, the standard library's HTTPS under Werkzeug's threaded
server (waitress speaks no TLS). The addresses are printed, flushed, before the first request
is answered. Stopping lets the request and the merge under way finish: every write is atomic
(write/atomic.py), so nothing is left half written."""

from __future__ import annotations

import signal
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from flask import Flask

from jc315cli.collection.folder import Choice
from jc315cli.collection.session import Session
from jc315cli.web.keys import Keys
from jc315cli.web.site import Site
from jc315cli.web.views import address

LOOPBACK = "127.0.0.1"
Stoppable = Any  # waitress's server or Werkzeug's: each stops on KeyboardInterrupt


@dataclass(frozen=True)
class Options:
    port: int = 0  # 0: a free one
    lan: bool = False
    host: str | None = None  # an address of this PC to serve on besides loopback
    cert: Path | None = None
    key: Path | None = None
    browser: bool = True


def lan_address() -> str:
    """This PC's address on the office network (no packet is sent: a UDP socket only picks the
    interface a route would use)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found = str(probe.getsockname()[0])
    except OSError:
        found = ""
    if found and not found.startswith("127."):
        return found
    return socket.gethostbyname(socket.gethostname())


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def serve(choice: Choice, options: Options, say: Callable[[str], None]) -> None:
    """Serve until stopped. `say` prints one line and flushes it."""
    from jc315cli.problems.errors import Jc315Error
    from jc315cli.web.app import create_app

    if (options.cert is None) != (options.key is None):
        raise Jc315Error("web-cert-pair")
    with Session(choice) as session:
        keys = Keys.load(session)
    network = options.host or ("0.0.0.0" if options.lan else None)
    site = Site(choice, keys, secure=options.cert is not None, lan=network is not None)
    bind = network if network not in (None, "0.0.0.0") else LOOPBACK
    port = options.port or free_port(bind)
    site.serve_on(LOOPBACK, port)
    site.serve_on("localhost", port)
    if network is not None:
        site.serve_on(lan_address() if network == "0.0.0.0" else network, port)
    app = create_app(site)
    try:
        server = _server(app, network, port, options)
    except OSError as error:
        where = f"{network or LOOPBACK}:{port}"
        raise Jc315Error(
            "web-cannot-serve", address=where, reason=error.strerror or error
        ) from None
    scheme = "https" if site.secure else "http"
    clerk = f"{scheme}://{LOOPBACK}:{port}/?k={keys.clerk}"
    say(f"市局的网页（只在本机打开）：{clerk}")
    if site.lan:
        plain = "已加密" if site.secure else "未加密：同一网络中的人能看到传输的内容"
        say(f"各单位的上传链接（{plain}），可粘贴到下发通知中：")
        base = address(site)
        for reporter in choice.campaign.reporters:
            say(f"  {reporter.name}：{base}/county?k={keys.links[reporter.name].secret}")
    say("按 Ctrl+C 停止")
    if options.browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(clerk,)).start()
    _run(server, site)
    say("已停止")


def _server(app: Flask, network: str | None, port: int, options: Options) -> Stoppable:
    if options.cert is not None and options.key is not None:
        from werkzeug.serving import make_server

        host = network or LOOPBACK
        context = (str(options.cert), str(options.key))
        return make_server(host, port, app, threaded=True, ssl_context=context)
    from waitress.server import create_server  # type: ignore[import-untyped]

    if network is None or network == "0.0.0.0":
        listen = f"{network or LOOPBACK}:{port}"
    else:
        listen = f"{network}:{port} {LOOPBACK}:{port}"
    return create_server(
        app, listen=listen, threads=8, ident="jc315", clear_untrusted_proxy_headers=True
    )


def _run(server: Stoppable, site: Site) -> None:
    """Until Ctrl+C or SIGTERM, both a KeyboardInterrupt here; then the merge under way ends."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, stop)
    try:
        if hasattr(server, "serve_forever"):
            server.serve_forever()
        else:
            server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, old)
        close = getattr(server, "server_close", None) or getattr(server, "close", None)
        if close is not None:
            close()
        job = site.job
        if job is not None and job.thread is not None and job.thread.is_alive():
            print("正在完成汇总，请稍候……", file=sys.stderr, flush=True)
            job.thread.join()
