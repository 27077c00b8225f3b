"""What bench/run needs before it measures: packages, the gateway's build, the workspace (docroot,
WSGI apps, open-file limit), and the facts a record names (commit, CPU, versions)."""
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile

from scenarios import BY_ID, OBSERVED

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
SERVERS_DIR = os.path.join(BENCH, "servers")


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


class Unavailable(Exception):
    """A server that cannot be measured: the message is the reason the table's notes give."""


# command → Debian package
DEPENDENCIES = {"nginx": "nginx", "h2o": "h2o", "lighttpd": "lighttpd", "wrk": "wrk",
                "taskset": "util-linux", "cmake": "cmake", "g++": "build-essential",
                "uwsgi": "uwsgi"}
# Debian packages checked by name: Poco, Debian's gunicorn (/usr/bin/gunicorn for /usr/bin/python3,
# whatever other python3 is first on PATH), uWSGI's Python 3 plugin (its http router is in
# uwsgi-core, which uwsgi depends on).
PACKAGES = ["libpoco-dev", "gunicorn", "uwsgi-plugin-python3"]


def install_dependencies():
    missing = [package for command, package in DEPENDENCIES.items()
               if not shutil.which(command) and not os.access(f"/usr/sbin/{command}", os.X_OK)]
    for package in PACKAGES:
        status = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", package],
                                capture_output=True, text=True)
        if status.stdout.strip() != "installed":
            missing.append(package)
    if not missing:
        return
    log(f"installing {' '.join(missing)}")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    apt = sudo + ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]
    subprocess.run(apt + ["update", "-q"], stdin=subprocess.DEVNULL, check=True)
    subprocess.run(apt + ["install", "-y", "-q", "--no-install-recommends"] + missing,
                   stdin=subprocess.DEVNULL, check=True)


class Tools:
    """The gateway, its plugins and idle_connections, built in the Release build directory.
    A failure is recorded (the gateway is then n/a with the reason), not fatal."""

    def __init__(self, options):
        self.gateway = self.apps = self.idle = ""
        self.gateway_problem = self.apps_problem = self.idle_problem = ""
        self.build_dir = os.path.join(ROOT, os.environ.get("BENCH_BUILD_DIR", "build-bench"))
        self.build(options)

    def cmake(self, *arguments):
        with open(self.build_log, "a") as build_log:
            return subprocess.run(["cmake", *arguments], stdout=build_log, stderr=build_log,
                                  cwd=ROOT).returncode == 0

    def first_error(self):
        with open(self.build_log, errors="replace") as build_log:
            for line in build_log:
                if "error" in line or "Error" in line:
                    return line.rstrip("\n")
        return f"see {self.build_log}"

    def build(self, options):
        os.makedirs(self.build_dir, exist_ok=True)
        self.build_log = os.path.join(self.build_dir, "bench-build.log")
        open(self.build_log, "w").close()
        cache = os.path.join(self.build_dir, "CMakeCache.txt")
        cache_text = open(cache).read() if os.path.exists(cache) else ""
        if not re.search(r"^CMAKE_BUILD_TYPE:STRING=Release$", cache_text, re.M):
            log(f"configuring {os.path.relpath(self.build_dir, ROOT)} (Release)")
            if not self.cmake("-S", ".", "-B", self.build_dir, "-DCMAKE_BUILD_TYPE=Release",
                              "-DGATEWAY_TESTS=OFF"):
                self.gateway_problem = f"cmake configure failed (see {self.build_log})"
            cache_text = open(cache).read() if os.path.exists(cache) else ""
        jobs = f"-j{os.cpu_count()}"
        wanted = "gateway" in options.servers or OBSERVED in options.servers
        if os.environ.get("GATEWAY_BIN"):
            self.gateway = os.environ["GATEWAY_BIN"]
        elif wanted and not self.gateway_problem:
            log(f"building gateway in {os.path.relpath(self.build_dir, ROOT)}")
            if self.cmake("--build", self.build_dir, "--target", "gateway", jobs):
                self.gateway = os.path.join(self.build_dir, "gateway", "gateway")
            else:
                self.gateway_problem = f"build failed: {self.first_error()}"
        plugins = sorted({BY_ID[i].app for i in options.scenarios if BY_ID[i].app})
        if not plugins or not wanted:
            pass
        elif os.environ.get("GATEWAY_APPS"):
            self.apps = os.environ["GATEWAY_APPS"]
        elif self.gateway_problem:
            self.apps_problem = self.gateway_problem
        else:
            # apps/ is part of every build (tests off or not); the .so files land in
            # GATEWAY_APPS_DIR.
            log(f"building the {' and '.join(plugins)} plugin{'s' * (len(plugins) > 1)}"
                f" in {os.path.relpath(self.build_dir, ROOT)}")
            if self.cmake("--build", self.build_dir, "--target", *plugins, jobs):
                match = re.search(r"^GATEWAY_APPS_DIR:[A-Z]*=(.*)$", cache_text, re.M)
                self.apps = match[1] if match and match[1] else os.path.join(self.build_dir,
                                                                              "app-plugins")
            else:
                self.apps_problem = f"plugin build failed: {self.first_error()}"
        if "idle" not in options.scenarios:
            pass
        elif cache_text and self.cmake("--build", self.build_dir, "--target", "idle_connections",
                                       jobs):
            self.idle = os.path.join(self.build_dir, "bench", "idle_connections")
        else:
            self.idle_problem = f"idle_connections did not build (see {self.build_log})"

    def plugin(self, app):
        """The path of the built plugin APP.so, or Unavailable with the reason."""
        path = os.path.join(self.apps, f"{app}.so") if self.apps else ""
        if not path or not os.path.isfile(path):
            raise Unavailable(f"no {app} plugin: {self.apps_problem or path + ' is missing'}")
        return path


# ---------------------------------------------------------------------------------- workspace


class Workspace:
    """A temporary directory with the docroot and the WSGI apps, the open-file limit, the built
    tools, and the servers running now (stopped by cleanup() whatever happens)."""

    def __init__(self, tools, idle_connections):
        self.tools = tools
        self.running = set()
        self.work = tempfile.mkdtemp(prefix="gateway-bench.")
        os.chmod(self.work, 0o755)  # nginx and h2o workers drop to nobody and must read the docroot
        self.docroot = os.path.join(self.work, "docroot")
        os.makedirs(self.docroot)
        for name, size in (("4k.bin", 4096), ("1m.bin", 1048576)):
            with open(os.path.join(self.docroot, name), "wb") as content:
                content.write(os.urandom(size))
        with open(os.path.join(self.docroot, "index.html"), "w") as index:
            index.write("<!doctype html><title>bench</title>\n")
        self.wsgi = os.path.join(self.work, "wsgi")
        shutil.copytree(os.path.join(SERVERS_DIR, "wsgi"), self.wsgi)
        for directory in (self.docroot, self.wsgi):
            os.chmod(directory, 0o755)
            for name in os.listdir(directory):
                os.chmod(os.path.join(directory, name), 0o644)
        self.idle_connections = self.raise_fd_limit(idle_connections)

    def raise_fd_limit(self, idle_connections):
        """The soft limit up to the hard one: each idle connection is a descriptor on both sides.
        Returns how many idle connections fit."""
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            pass
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        self.fd_limit = 1048576 if soft == resource.RLIM_INFINITY else soft
        if self.fd_limit < idle_connections + 64:
            log(f"open-file limit {self.fd_limit} is too low for {idle_connections}"
                f" connections; using {self.fd_limit - 64}")
            return self.fd_limit - 64
        return idle_connections

    def cleanup(self):
        for server in list(self.running):
            server.stop()
        shutil.rmtree(self.work, ignore_errors=True)


# -------------------------------------------------------------------------------- the record

def commit_id():
    def git(*arguments):
        done = subprocess.run(["git", "-C", ROOT, *arguments], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else None
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+dirty" if git("status", "--porcelain") else "")


def cpu_model():
    with open("/proc/cpuinfo") as cpuinfo:
        return next((line.split(":", 1)[1].strip() for line in cpuinfo
                     if line.startswith("model name")), "unknown CPU")


def wrk_version():
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    words = ((done.stdout + done.stderr).splitlines() or [""])[0].split()
    return words[1] if len(words) > 1 else "unknown"


def server_version(name, tools):
    def first_line(argv):
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return ((done.stdout + done.stderr).splitlines() or [""])[0]

    if name in ("gateway", OBSERVED):
        if tools.gateway and os.access(tools.gateway, os.X_OK):
            return "/".join(first_line([tools.gateway, "--version"]).split()[:2])
        return "gateway (not built)"
    if name == "nginx":
        return (first_line(["nginx", "-v"]).split() or [""])[-1]
    if name == "h2o":
        words = first_line(["h2o", "--version"]).split()
        return f"h2o/{words[2] if len(words) > 2 else ''}"
    if name == "lighttpd":
        return (first_line(["lighttpd", "-v"]).split() or [""])[0]
    if name.startswith("gunicorn"):
        gunicorn = re.sub(r"[^0-9.]", "", first_line(["/usr/bin/gunicorn", "--version"]))
        python = (first_line(["/usr/bin/python3", "--version"]).split() + ["", ""])[1]
        return f"{name}/{gunicorn} (Python {python})"
    return f"uWSGI/{first_line(['uwsgi', '--version'])}"
