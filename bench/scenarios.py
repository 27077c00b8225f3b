"""The benchmark's scenarios, in one place: what bench/run measures and how bench/report.py prints
it.

A scenario has a title (the table row), a unit, the table it is printed in, the servers it
compares (in column order), its baseline (a server, or "best:a,b,c" for whichever of those
measured most), the app the servers serve for it ("" = static files), and its load: wrk's
connections, path and extra arguments, or a measurement of its own ("idle", "reload").
"""
from dataclasses import dataclass, field

STATIC_SERVERS = ["gateway", "nginx", "h2o", "lighttpd"]
WSGI_SERVERS = ["gunicorn-sync", "gunicorn-gthread", "uwsgi"]
BEST_WSGI = "best:" + ",".join(WSGI_SERVERS)
# The gateway as an operator runs it: --metrics, and the JSON access log written to a file.
OBSERVED = "gateway-observed"
ALL_SERVERS = STATIC_SERVERS + [OBSERVED] + WSGI_SERVERS

# The tables, in print order. The reload table is the gateway alone against itself.
TABLES = ["static", "apps", "reload"]


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    unit: str
    table: str
    servers: list
    baseline: str
    app: str = ""
    connections: int = 0
    path: str = ""
    wrk_args: list = field(default_factory=list)
    measure: str = "wrk"  # or "idle", "reload"


SCENARIOS = [
    Scenario("static_4k_c50", "4 KiB file, keep-alive, 50 connections", "req/s", "static",
             STATIC_SERVERS, "nginx", connections=50, path="/4k.bin"),
    Scenario("static_4k_c256", "4 KiB file, keep-alive, 256 connections", "req/s", "static",
             STATIC_SERVERS, "nginx", connections=256, path="/4k.bin"),
    # The body is exactly 1 MiB, so responses per second = MiB/s.
    Scenario("static_1m", "1 MiB file, keep-alive, 50 connections", "MiB/s", "static",
             STATIC_SERVERS, "nginx", connections=50, path="/1m.bin"),
    Scenario("static_4k_close", "4 KiB file, Connection: close, 50 connections", "req/s", "static",
             STATIC_SERVERS, "nginx", connections=50, path="/4k.bin",
             wrk_args=["-H", "Connection: close"]),
    Scenario("idle", "idle keep-alive connections held (RSS growth)", "MiB per 1k conns", "static",
             STATIC_SERVERS, "nginx", path="/4k.bin", measure="idle"),
    Scenario("hello_c50", "hello app, keep-alive, 50 connections", "req/s", "apps",
             ["gateway", OBSERVED, "nginx", "h2o"] + WSGI_SERVERS, "nginx", app="hello", connections=50,
             path="/hello"),
    # Each request carries exactly 1 MiB, so requests per second = MiB/s of request bodies. The
    # Lua script checks every answer (length and SHA-256 of the body) and counts the wrong ones.
    Scenario("echo_1m", "1 MiB POST to echo app, keep-alive, 10 connections", "MiB/s", "apps",
             ["gateway"] + WSGI_SERVERS, BEST_WSGI, app="echo", connections=10, path="/echo",
             wrk_args=["-s", "@WRK@/post_1m.lua"]),
    # Not a comparison: the gateway (--workers 2) under load with and without SIGHUPs and
    # redeploys of its plugin. Not in the default set; run it with --scenarios reload.
    Scenario("reload", "hello app during 10 SIGHUPs and 5 redeploys, keep-alive, 50 connections",
             "req/s", "reload", ["gateway"], "", app="hello", connections=50, path="/hello",
             wrk_args=["-s", "@WRK@/summary.lua"], measure="reload"),
]
BY_ID = {scenario.id: scenario for scenario in SCENARIOS}
DEFAULT_IDS = [scenario.id for scenario in SCENARIOS if scenario.measure != "reload"]

# The reload scenario's events in its window: SIGHUPs to the master, and redeploys of the plugin
# (`cp` over the deployed file, the last one a `mv` of a fresh copy onto it).
RELOAD_SIGHUPS = 10
RELOAD_REDEPLOYS = 5
RELOAD_WORKERS = 2
# Issue 7's acceptance: no failed request, p99 during reloads within 2x of steady state.
RELOAD_MAX_P99_RATIO = 2.0

# The issues' targets: (scenario, server, reference, minimum ratio); higher is better.
TARGETS = [
    ("static_4k_c50", "gateway", "nginx", "1.5"), ("static_4k_c256", "gateway", "nginx", "1.5"),
    ("static_1m", "gateway", "nginx", "1.0"), ("static_4k_close", "gateway", "nginx", "1.0"),
    ("hello_c50", "gateway", "nginx", "0.9"), ("hello_c50", "gateway", BEST_WSGI, "5"),
    # Issue 8: metrics and the JSON access log on cost at most 5 %.
    ("hello_c50", OBSERVED, "gateway", "0.95"),
]

# Servers that close the connection after every response whatever the client asks.
SERVER_NOTES = {
    "gunicorn-sync": "the sync worker closes the connection after every response (no keep-alive),"
                     " so wrk reconnects for each request",
}
