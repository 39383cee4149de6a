"""Routes the launcher adds so the extension can talk to local kernels over ZMQ directly.

The kernel lifecycle stays with the server (start, restart, interrupt and shutdown through /api/kernels);
only the hot path (execute on shell, outputs on iopub, input on stdin) skips the websocket. These routes give
the extension what the websocket used to provide:

  GET {base_url}ki/kernels/{id}/connection  the kernel's ports, transport and HMAC key (JSON).
  GET {base_url}ki/kernels/{id}/events      a stream of JSON lines: {"event": "open"} first, then
                                             "restart" (the kernel died; the server is restarting it) and
                                             "dead" (it could not be restarted) from the server's
                                             KernelRestarter, "removed" once the server no longer has the
                                             kernel, and a "ping" every few seconds. The stream also ends
                                             when the server process dies, which the client notices at once.

Both need the token header (`Authorization: token ...`). The key is a credential: it is only ever written
to the response body, never logged.
"""

import asyncio
import hmac
import json

# How often the events stream checks that its kernel still exists, and sends a ping.
CHECK_SECONDS = 2.0


def token_authorized(handler, token):
    """Whether the request carries `Authorization: token <token>`, compared in constant time.

    The one token check of the launcher's own routes (these, the lifeline and the sandbox profiles).
    """
    header = handler.request.headers.get("Authorization", "")
    given = header[len("token "):] if header.startswith("token ") else ""
    return hmac.compare_digest(given.encode(), token.encode())


def _handler_classes(app, token):
    from tornado import iostream, web

    class KernelRouteHandler(web.RequestHandler):
        def prepare(self):
            if not token_authorized(self, token):
                raise web.HTTPError(403)

        def kernel(self, kernel_id):
            manager = app.kernel_manager
            if kernel_id not in manager:
                raise web.HTTPError(404)
            return manager.get_kernel(kernel_id)

    class ConnectionHandler(KernelRouteHandler):
        def get(self, kernel_id):
            info = self.kernel(kernel_id).get_connection_info(session=False)
            key = info.get("key", b"")
            body = {
                "transport": info.get("transport", "tcp"),
                "ip": info.get("ip", "127.0.0.1"),
                "shell_port": info["shell_port"],
                "iopub_port": info["iopub_port"],
                "stdin_port": info["stdin_port"],
                "control_port": info["control_port"],
                "hb_port": info["hb_port"],
                "signature_scheme": info.get("signature_scheme", "hmac-sha256"),
                "key": key.decode() if isinstance(key, bytes) else key,
            }
            self.set_header("Content-Type", "application/json")
            self.set_header("Cache-Control", "no-store")
            self.finish(json.dumps(body))

    class EventsHandler(KernelRouteHandler):
        closed = False

        def on_connection_close(self):
            self.closed = True

        async def get(self, kernel_id):
            km = self.kernel(kernel_id)
            queue = asyncio.Queue()
            # The restarter calls these on the IOLoop thread, the same thread this coroutine runs on.
            callbacks = {
                "restart": lambda: queue.put_nowait("restart"),
                "dead": lambda: queue.put_nowait("dead"),
            }
            for event, callback in callbacks.items():
                km.add_restart_callback(callback, event)
            self.set_header("Content-Type", "application/x-ndjson")
            self.set_header("Cache-Control", "no-store")
            try:
                await self._stream(kernel_id, queue)
            except iostream.StreamClosedError:
                pass
            finally:
                for event, callback in callbacks.items():
                    km.remove_restart_callback(callback, event)

        async def _stream(self, kernel_id, queue):
            await self._send("open")
            while not self.closed:
                try:
                    event = await asyncio.wait_for(queue.get(), CHECK_SECONDS)
                except asyncio.TimeoutError:
                    event = "ping" if kernel_id in app.kernel_manager else "removed"
                await self._send(event)
                if event in ("dead", "removed"):
                    break
            if not self.closed:
                self.finish()

        async def _send(self, event):
            self.write(json.dumps({"event": event}) + "\n")
            await self.flush()

    return ConnectionHandler, EventsHandler


def add_kernel_routes(app, token):
    """Registers the routes on the running server's web app."""
    from jupyter_server.utils import url_path_join

    connection, events = _handler_classes(app, token)
    kernel = r"/ki/kernels/(?P<kernel_id>[\w-]+)"
    app.web_app.add_handlers(
        ".*$",
        [
            (url_path_join(app.base_url, kernel + "/connection"), connection),
            (url_path_join(app.base_url, kernel + "/events"), events),
        ],
    )
