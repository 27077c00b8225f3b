# A raw PEP 3333 app for tests/integration/WsgiTest.cpp, wrapped in wsgiref.validate.validator:
# any breach of the spec by the bridge (or by this app) raises AssertionError, which the test
# finds in the log. Every response body counts its close() calls by path (GET /closed reads them).
import json
import sys
import threading
from wsgiref.validate import validator

closed = {}  # PATH_INFO -> close() calls
current = threading.local()  # the PATH_INFO of the request this thread serves


class Body:
    """A response iterable whose close() is counted under its request's path."""

    def __init__(self, parts):
        self._parts = parts
        self._path = current.path

    def __iter__(self):
        return iter(self._parts)

    def close(self):
        closed[self._path] = closed.get(self._path, 0) + 1


def reply(start_response, data, status="200 OK", kind="application/json"):
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
    return Body([body])


def read_all_lines(inp, how):
    if how == "readline":
        lines = []
        while True:
            line = inp.readline()
            if not line:
                return lines
            lines.append(line)
    if how == "readlines":
        return inp.readlines()
    return list(inp)


def app(environ, start_response):
    path = current.path = environ["PATH_INFO"]
    inp = environ["wsgi.input"]
    if path == "/environ":
        keys = ["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_PROTOCOL",
                "CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_X_TEST", "wsgi.url_scheme",
                "wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once", "wsgi.input_terminated"]
        data = {key: environ.get(key) for key in keys}
        data["wsgi.version"] = list(environ["wsgi.version"])
        data["native"] = all(type(v) is str for k, v in environ.items() if "." not in k)
        return reply(start_response, data)
    if path == "/read":  # the body in pieces of 3 bytes
        pieces = []
        while True:
            piece = inp.read(3)
            if not piece:
                break
            pieces.append(piece)
        return reply(start_response, {"pieces": len(pieces), "body": b"".join(pieces).decode()})
    if path == "/lines":
        lines = read_all_lines(inp, environ["QUERY_STRING"])
        return reply(start_response, {"lines": [line.decode() for line in lines]})
    if path == "/stream":  # a generator: each chunk goes out as it is produced
        count = int(environ["QUERY_STRING"] or "3")
        start_response("200 OK", [("Content-Type", "text/plain")])

        def chunks():
            for i in range(count):
                yield b"chunk %d\n" % i

        class Streamed(Body):
            def __iter__(self):
                return chunks()

        return Streamed(None)
    if path == "/forever":  # an endless stream: only backpressure keeps it bounded
        start_response("200 OK", [("Content-Type", "application/octet-stream")])

        def endless():
            while True:
                yield b"x" * 65536

        class Endless(Body):
            def __iter__(self):
                return endless()

        return Endless(None)
    if path == "/write":
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"from write, ")
        return Body([b"then ", b"", b"the iterable"])
    if path == "/exc_info":  # an error page replaces the head not yet sent
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise ValueError("late trouble")
        except ValueError:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")],
                           sys.exc_info())
        return Body([b"replaced"])
    if path == "/closed":
        return reply(start_response, {k: v for k, v in closed.items() if k != "/closed"})
    if path == "/raise":
        raise RuntimeError("boom from the test app")
    if path == "/exit":
        sys.exit(3)
    if path == "/errors":
        environ["wsgi.errors"].write("a line for the log\n")
        environ["wsgi.errors"].flush()
        return reply(start_response, b"logged", kind="text/plain")
    if path == "/latin1":
        return reply(start_response, {"path": path, "query": environ["QUERY_STRING"]})
    return reply(start_response, {"error": "no such path"}, status="404 Not Found")


app = validator(app)
