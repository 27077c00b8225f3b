# Does what the gateway's echo plugin does: streams the body through SHA-256 in 64 KiB reads and
# answers JSON with the (string) environ, the body length and its hash.
import hashlib
import json


def app(environ, start_response):
    sha = hashlib.sha256()
    length = 0
    remaining = int(environ.get("CONTENT_LENGTH") or 0)
    stream = environ["wsgi.input"]
    while remaining > 0:
        chunk = stream.read(min(remaining, 65536))
        if not chunk:
            break
        sha.update(chunk)
        length += len(chunk)
        remaining -= len(chunk)
    environ_strings = {k: v for k, v in environ.items() if isinstance(v, str)}
    body = json.dumps(
        {"environ": environ_strings, "body_length": length, "body_sha256": sha.hexdigest()}
    ).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
