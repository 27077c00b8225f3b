"""One server for one measurement: its configuration rendered from bench/servers/, started on a free
loopback port pinned to core 0, checked to answer correctly, and stopped by PID; and the
probes bench/run reads it with (HTTP requests, resident memory)."""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time

from machine import SERVERS_DIR, Unavailable
from scenarios import OBSERVED, WSGI_SERVERS


def descendants(pid):
    """PID and all its descendants (nginx: master + worker; uWSGI: master, router, worker)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, pending = [], [pid]
    while pending:
        current = pending.pop(0)
        found.append(current)
        pending += children.get(current, [])
    return found


def rss_kib(pid):
    """Resident memory of PID and its descendants, KiB."""
    total = 0
    for process in descendants(pid):
        try:
            with open(f"/proc/{process}/status") as status:
                total += next((int(line.split()[1]) for line in status
                               if line.startswith("VmRSS:")), 0)
        except OSError:
            pass
    return total


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_request(port, method, path, body=None, timeout=5):
    """(status, body) of one request to 127.0.0.1:PORT, or None when it fails."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body)
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def check_answer(port, app):
    """The problem with the server's answer, or "" when it answers correctly: /4k.bin must be 4,096
    bytes, /hello "Hello, World!", and /echo must give the length and SHA-256 of a POSTed "abc"."""
    if not app:
        answer = http_request(port, "GET", "/4k.bin")
        size = len(answer[1]) if answer else 0
        return "" if size == 4096 else f"served {size} bytes for the 4 KiB file"
    if app == "hello":
        answer = http_request(port, "GET", "/hello")
        text = answer[1].decode(errors="replace") if answer else ""
        return "" if text == "Hello, World!" else f"answered /hello with '{text[:80]}'"
    answer = http_request(port, "POST", "/echo", body=b"abc")
    text = answer[1].decode(errors="replace") if answer else ""
    sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    if re.search(r'"body_length": ?3[,}]', text) and sha in text:
        return ""
    return f"answered a POST of 'abc' to /echo with '{text[:80]}'"


class Server:
    """One server started for one measurement: its config rendered from bench/servers/ into its
    own directory, pinned to core 0, stopped by PID."""

    # The config templates of each server in bench/servers/; NAME.APP.conf, when it exists,
    # fills the app placeholder of NAME.conf.
    TEMPLATES = {"nginx": "nginx.conf", "h2o": "h2o.conf", "lighttpd": "lighttpd.conf",
                 "gunicorn-sync": "gunicorn-sync.conf.py",
                 "gunicorn-gthread": "gunicorn-gthread.conf.py", "uwsgi": "uwsgi.ini"}

    def __init__(self, workspace, name, app, workers=1, private_apps=False, log_level="warning"):
        self.workspace, self.name, self.app = workspace, name, app
        self.port = free_port()
        self.dir = os.path.join(workspace.work, f"{name}.{self.port}")
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o755)
        self.apps_dir = ""
        if name in ("gateway", OBSERVED):
            argv = self.gateway_command(workers, private_apps, log_level)
            if name == OBSERVED:
                argv += ["--metrics", "/metrics", "--access-log-format", "json",
                         "--access-log", os.path.join(self.dir, "access.log")]
        else:
            argv = self.command()
        self.stdout = open(os.path.join(self.dir, "stdout.log"), "w")
        self.stderr = open(os.path.join(self.dir, "stderr.log"), "w")
        self.process = subprocess.Popen(["taskset", "-c", "0", *argv], stdin=subprocess.DEVNULL,
                                        stdout=self.stdout, stderr=self.stderr)
        workspace.running.add(self)
        self.wait_until_ready()

    def render(self, template):
        fd_limit = self.workspace.fd_limit
        values = {"PORT": self.port, "DIR": self.dir, "DOCROOT": self.workspace.docroot,
                  "FD_LIMIT": fd_limit, "MAX_CONNECTIONS": fd_limit - 64,
                  "HALF_FD_LIMIT": fd_limit // 2, "WSGI": self.workspace.wsgi, "APP": self.app,
                  "APP_CONFIG": ""}
        base, extension = os.path.splitext(template)
        fragment = os.path.join(SERVERS_DIR, f"{base}.{self.app}{extension}")
        if self.app and os.path.exists(fragment):
            values["APP_CONFIG"] = open(fragment).read().rstrip("\n")
        text = open(os.path.join(SERVERS_DIR, template)).read()
        text = re.sub(r"@([A-Z_]+)@", lambda m: str(values[m[1]]), text)
        path = os.path.join(self.dir, template)
        with open(path, "w") as config:
            config.write(text)
        return path

    def gateway_command(self, workers, private_apps, log_level):
        tools = self.workspace.tools
        if not tools.gateway or not os.access(tools.gateway, os.X_OK):
            raise Unavailable("no gateway binary: " + (
                tools.gateway_problem or f"{tools.gateway or 'not built'} is not executable"))
        argv = [tools.gateway, "--bind", "127.0.0.1", "--port", str(self.port),
                "--docroot", self.workspace.docroot, "--workers", str(workers),
                "--log-level", log_level, "--max-connections", str(self.workspace.fd_limit - 64)]
        if self.app:
            # A folder holding only the measured plugin: nothing else in the build's folder is
            # loaded. A private copy when the scenario redeploys it, else a link.
            plugin = tools.plugin(self.app)
            self.apps_dir = os.path.join(self.dir, "apps")
            os.makedirs(self.apps_dir)
            deployed = os.path.join(self.apps_dir, f"{self.app}.so")
            if private_apps:
                shutil.copyfile(plugin, deployed)
                os.chmod(deployed, 0o755)
            else:
                os.symlink(plugin, deployed)
            argv += ["--apps", self.apps_dir]
        return argv

    def command(self):
        """The command line of a server other than the gateway, its config rendered."""
        name, app, directory = self.name, self.app, self.dir
        if name in WSGI_SERVERS and not app:
            raise Unavailable("serves apps only")
        config = self.render(self.TEMPLATES[name])
        if name == "nginx":
            os.makedirs(os.path.join(directory, "tmp"))
            return ["nginx", "-p", directory, "-e", f"{directory}/error.log", "-c", config]
        if name == "h2o":
            return ["h2o", "-c", config]
        if name == "lighttpd":
            return ["lighttpd", "-D", "-f", config]
        # gunicorn and uWSGI serve bench/servers/wsgi/APP.py with Debian's Python 3.
        if name.startswith("gunicorn"):
            if not os.access("/usr/bin/gunicorn", os.X_OK):
                raise Unavailable("/usr/bin/gunicorn is missing (Debian package gunicorn)")
            return ["/usr/bin/python3", "/usr/bin/gunicorn", "--config", config, f"{app}:app"]
        return ["uwsgi", "--ini", config]

    def ready_path(self):
        return f"/{self.app}" if self.app else "/4k.bin"

    def last_log_line(self):
        lines = []
        for log_name in ("stderr.log", "error.log"):
            path = os.path.join(self.dir, log_name)
            if os.path.exists(path):
                lines += [line.rstrip() for line in open(path, errors="replace") if line.strip()]
        return lines[-1] if lines else ""

    def wait_until_ready(self):
        deadline = time.monotonic() + 15
        while True:
            answer = http_request(self.port, "GET", self.ready_path(), timeout=1)
            if answer and answer[0] < 400:
                break
            status = self.process.poll()
            if status is not None:
                self.workspace.running.discard(self)
                self.stdout.close()
                self.stderr.close()
                how = (f"killed by {signal.Signals(-status).name}" if status < 0
                       else f"exited with status {status}")
                last = self.last_log_line()
                raise Unavailable(f"{how} at start-up{f' (last log line: {last})' if last else ''}")
            if time.monotonic() > deadline:
                self.stop()
                raise Unavailable(f"not answering on port {self.port} after 15 s")
            time.sleep(0.1)
        problem = check_answer(self.port, self.app)
        if problem:
            self.stop()
            raise Unavailable(problem)

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        """SIGTERM to the server, up to 10 s to exit, then SIGKILL to what is left of it."""
        pids = descendants(self.process.pid) if self.alive() else []
        if self.alive():
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()
        self.stdout.close()
        self.stderr.close()
        self.workspace.running.discard(self)
