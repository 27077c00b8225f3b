# The Python half of the wsgi bridge (PEP 3333), run once per interpreter into the module
# "_gateway_wsgi" whose C functions (_read, _write, _start, _log) reach the host through a
# per-request handle. Kept in Python where speed matters little: input buffering, header checks.
import sys
import traceback


class Input:
    """wsgi.input: the request body streamed from the host's read_body."""

    def __init__(self, handle):
        self._h = handle
        self._buf = bytearray()
        self._eof = False

    def _fill(self, n):
        data = _read(self._h, max(n, 8192))
        if data:
            self._buf += data
        else:
            self._eof = True

    def _take(self, n):
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    def read(self, size=-1):
        if size is None or size < 0:
            while not self._eof:
                self._fill(65536)
            return self._take(len(self._buf))
        while len(self._buf) < size and not self._eof:
            self._fill(size - len(self._buf))
        return self._take(size)

    def readline(self, size=-1):
        limited = size is not None and size >= 0
        start = 0
        while True:
            i = self._buf.find(b"\n", start)
            if i >= 0:
                end = i + 1
                break
            if (limited and len(self._buf) >= size) or self._eof:
                end = len(self._buf)
                break
            start = len(self._buf)
            self._fill(8192)
        return self._take(min(end, size) if limited else end)

    def readlines(self, hint=-1):
        lines, total = [], 0
        for line in self:
            lines.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                break
        return lines

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line


class Errors:
    """wsgi.errors: whole lines into the gateway log, tagged with the app and the request."""

    def __init__(self, handle):
        self._h = handle
        self._pending = ""

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("wsgi.errors.write() takes a str")
        *lines, self._pending = (self._pending + text).split("\n")
        for line in lines:
            _log(self._h, line)
        return len(text)

    def writelines(self, seq):
        for text in seq:
            self.write(text)

    def flush(self):
        if self._pending:
            _log(self._h, self._pending)
            self._pending = ""


def _latin1(value, what):
    if type(value) is not str:
        raise TypeError("%s must be a native str, not %s" % (what, type(value).__name__))
    value.encode("latin-1")  # UnicodeEncodeError for anything outside latin-1
    return value


class Response:
    """start_response and write() of one request; commit() hands the head to the host once."""

    def __init__(self, handle):
        self._h = handle
        self.status = None
        self.headers = None
        self.sent = False

    def start_response(self, status, headers, exc_info=None):
        if exc_info is not None:
            try:
                if self.sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError("start_response called a second time without exc_info")
        _latin1(status, "status")
        code, _, reason = status.partition(" ")
        if len(code) != 3 or not code.isdigit():
            raise ValueError("status must start with a 3-digit code: %r" % status)
        if type(headers) is not list:
            raise TypeError("headers must be a list, not %s" % type(headers).__name__)
        for item in headers:
            if type(item) is not tuple or len(item) != 2:
                raise TypeError("each header must be a (name, value) tuple: %r" % (item,))
            _latin1(item[0], "header name")
            _latin1(item[1], "header value")
        self.status = (int(code), reason)
        self.headers = list(headers)
        return self.write

    def commit(self):
        if self.sent:
            return
        if self.status is None:
            raise AssertionError("the application returned before calling start_response")
        self.sent = True
        _start(self._h, self.status[0], self.status[1].encode("latin-1"), self.headers)

    def write(self, data):
        if type(data) is not bytes:
            raise TypeError("write() takes bytes, not %s" % type(data).__name__)
        self.commit()
        _write(self._h, data)


def environ(handle, items, multithread, multiprocess):
    env = dict(items)  # CGI keys, HTTP_*, and the host's gateway.* extensions
    env["wsgi.version"] = (1, 0)
    env["wsgi.url_scheme"] = env.get("gateway.url_scheme", "http")
    env["wsgi.input"] = Input(handle)
    env["wsgi.errors"] = Errors(handle)
    env["wsgi.multithread"] = multithread
    env["wsgi.multiprocess"] = multiprocess
    env["wsgi.run_once"] = False
    env["wsgi.input_terminated"] = True
    return env


def first_chunk(response, iterator):
    """Pulls until the first non-empty chunk (the head goes out with it): (chunk, ended)."""
    for chunk in iterator:
        if type(chunk) is not bytes:
            raise TypeError("the application yielded %s, not bytes" % type(chunk).__name__)
        if chunk:
            response.commit()
            return chunk, False
    response.commit()
    return b"", True


def format_exception(kind, value, tb):
    return "".join(traceback.format_exception(kind, value, tb)).rstrip("\n")


def load(spec, path):
    """module = pkg.mod:attr or pkg.mod:factory(); path = folder prepended to sys.path."""
    import importlib

    if path and path not in sys.path:
        sys.path.insert(0, path)
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ValueError("module must be 'package.module:callable' or 'package.module:factory()'")
    obj = importlib.import_module(module_name)
    call = attr.endswith("()")
    for part in (attr[:-2] if call else attr).split("."):
        obj = getattr(obj, part)
    if call:
        obj = obj()
    if not callable(obj):
        raise TypeError("%s is not callable" % spec)
    return obj
