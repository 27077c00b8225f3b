"""The load bench/run puts on a started server: wrk for the throughput rows, bench/idle_connections
for the idle row, and the reload scenario (wrk during SIGHUPs and redeploys of the plugin)."""
import json
import os
import re
import signal
import subprocess
import time

from machine import BENCH, Unavailable, log
from scenarios import RELOAD_REDEPLOYS, RELOAD_SIGHUPS, RELOAD_WORKERS
from server import Server, check_answer, http_request, rss_kib

WRK_DIR = os.path.join(BENCH, "wrk")


def seconds(duration):
    """wrk's duration syntax (10, 10s, 2m, 1h) in seconds; ValueError otherwise."""
    match = re.fullmatch(r"(\d+)([smh]?)", duration)
    if not match or int(match[1]) == 0:
        raise ValueError(f"not a duration: {duration!r} (e.g. 10s, 2m)")
    return int(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[match[2]]


def wrk_arguments(scenario):
    return [argument.replace("@WRK@", WRK_DIR) for argument in scenario.wrk_args]


def parse_wrk(output):
    """(requests per second or None, note) from wrk's output, as the table's notes give them."""
    rps, notes = None, []
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("Requests/sec:"):
            rps = float(line.split()[1])
        elif "Non-2xx or 3xx responses:" in line:
            notes.append(f"{line.split()[-1]} non-2xx")
        elif line.startswith("Wrong responses:") and int(line.split()[-1]) > 0:
            notes.append(f"{line.split()[-1]} wrong answers")
        elif "Socket errors:" in line:
            errors = line.split("Socket errors: ", 1)[1]
            if errors != "connect 0, read 0, write 0, timeout 0":
                notes.append(f"socket errors: {errors}")
    if rps is None:
        return None, "wrk failed"
    return rps, "; ".join(notes)


def wrk(port, connections, duration, arguments, path):
    """wrk -t1 pinned to core 1: its output."""
    argv = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{duration}", *arguments,
            f"http://127.0.0.1:{port}{path}"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True,
                              timeout=seconds(duration) + 60)
    except subprocess.TimeoutExpired:
        return "wrk did not finish"
    return done.stdout + done.stderr


def measure_wrk(server, scenario, duration, warm_up):
    """(requests per second or None, note): wrk for DURATION, after a 1 s warm-up if WARM_UP."""
    if warm_up:
        wrk(server.port, scenario.connections, "1s", wrk_arguments(scenario), scenario.path)
    return parse_wrk(wrk(server.port, scenario.connections, duration, wrk_arguments(scenario),
                         scenario.path))


def measure_idle(workspace, server, scenario):
    """Opens the idle connections (one GET each), holds them, and reads the server's RSS:
    (MiB per 1,000 connections or None, note)."""
    tools, count = workspace.tools, workspace.idle_connections
    if not tools.idle:
        return None, tools.idle_problem
    port, pid = server.port, server.process.pid
    http_request(port, "GET", scenario.path)
    before = rss_kib(pid)
    out_path = os.path.join(workspace.work, "idle.out")
    with open(out_path, "w") as out, open(out_path + ".err", "w") as err:
        idle = subprocess.Popen(
            ["taskset", "-c", "1", tools.idle, "--host", "127.0.0.1", "--port", str(port),
             "--path", scenario.path, "--connections", str(count), "--timeout", "60",
             "--hold", "300"], stdin=subprocess.PIPE, stdout=out, stderr=err)
    try:
        deadline = time.monotonic() + 90
        while (idle.poll() is None and time.monotonic() < deadline
               and not re.search(r"^holding", open(out_path).read(), re.M)):
            time.sleep(0.2)
        held = rss_kib(pid)
        try:
            idle.communicate(b"\n", timeout=30)  # release the connections
        except (subprocess.TimeoutExpired, BrokenPipeError):
            pass
    finally:
        if idle.poll() is None:
            idle.kill()
            idle.wait()
    output = open(out_path).read()
    error = (open(out_path + ".err").read().splitlines() or [""])[0]
    answered = re.search(r"^answered (\d+)", output, re.M)
    still_open = re.search(r"^still_open (\d+)", output, re.M)
    if not answered:
        return None, f"idle_connections failed: {error}"
    answered = int(answered[1])
    note = (f"{answered}/{count} answered, {still_open[1] if still_open else '?'} still open"
            f" when released; RSS {before // 1024} → {held // 1024} MiB")
    if error:
        note += f"; {error}"
    if answered == 0:
        return None, note
    return float(f"{(held - before) / 1024 / answered * 1000:.2f}"), note


# ---------------------------------------------------------------------------------------- reload

def measure_reload(workspace, scenario, round_number, window):
    """The steady window, then the reload window: (measurement lines, problems)."""
    lines, failures = [], []
    for phase in ("steady", "reload"):
        log(f"reload: {phase}, {window} s of load")
        line, problems = reload_phase(workspace, scenario, phase, round_number, window)
        failures += [f"reload ({phase}): {problem}" for problem in problems]
        log(f"reload: {phase}: " + (
            f"{line['requests']} requests, {line['error_total']} errors, "
            f"p99 {line['latency_ms']['p99']} ms" if line["value"] is not None else "n/a")
            + (f" ({line['note']})" if line["note"] else ""))
        lines.append(line)
    return lines, failures


def reload_phase(workspace, scenario, phase, round_number, window):
    """WINDOW seconds of keep-alive load on the gateway's hello app (--workers 2); in the "reload"
    phase with SIGHUPs to the master and redeploys of the plugin spread over the window. Returns
    the measurement line and the problems that fail the scenario."""
    line = {"record": "measurement", "scenario": scenario.id, "server": "gateway",
            "round": round_number, "phase": phase, "unit": scenario.unit,
            "workers": RELOAD_WORKERS, "duration_s": window,
            "events": {"sighup": 0, "cp": 0, "mv": 0}, "timeline": []}
    try:
        # Log level notice: the gateway's lines about reloading are counted in the notes.
        server = Server(workspace, "gateway", scenario.app, workers=RELOAD_WORKERS,
                        private_apps=True, log_level="notice")
    except Unavailable as reason:
        return dict(line, value=None, note=str(reason)), [str(reason)]
    source = workspace.tools.plugin(scenario.app)
    deployed = os.path.join(server.apps_dir, f"{scenario.app}.so")
    staging = os.path.join(server.dir, "staging")
    os.makedirs(staging)
    problems = []  # each one fails the scenario
    argv = ["taskset", "-c", "1", "wrk", "-t1", f"-c{scenario.connections}", f"-d{window}s",
            *wrk_arguments(scenario), f"http://127.0.0.1:{server.port}{scenario.path}"]
    load = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        if phase == "reload":
            reload_events(server, source, deployed, staging, window, line["events"],
                          line["timeline"], problems)
        try:
            output, _ = load.communicate(timeout=window + 30)
        except subprocess.TimeoutExpired:
            load.kill()
            output, _ = load.communicate()
            problems.append("wrk did not finish")
        if not server.alive():
            problems.append(f"the gateway master exited ({server.process.returncode})")
        else:
            problem = check_answer(server.port, scenario.app)
            if problem:
                problems.append(f"after the window: {problem}")
    finally:
        if load.poll() is None:  # interrupted
            load.kill()
            load.wait()
        server.stop()
    summary = re.search(r"^summary (\{.*\})$", output, re.M)
    if not summary:
        problems.append(f"wrk failed: {output.strip().splitlines()[-1:] or 'no output'}")
        return dict(line, value=None, note="; ".join(problems)), problems
    figures = json.loads(summary[1])
    errors = figures["errors"]
    line.update(
        value=figures["requests"] / (figures["duration_us"] / 1e6),
        requests=figures["requests"], errors=errors, error_total=sum(errors.values()),
        latency_ms={name: round(us / 1000, 3) for name, us in figures["latency_us"].items()})
    if line["error_total"]:
        problems.append("errors: " + ", ".join(f"{k} {v}" for k, v in errors.items()))
    mentions = [text.rstrip() for text in open(os.path.join(server.dir, "stderr.log"),
                                                errors="replace")
                if re.search(r"reload|SIGHUP|generation", text, re.I)]
    notes = list(problems)
    if phase == "reload":
        notes.append(f"the gateway logged {len(mentions)} lines about reloading"
                     + (f" (last: {mentions[-1][-160:]})" if mentions else ""))
    line["note"] = "; ".join(notes)
    return line, problems

def reload_events(server, source, deployed, staging, window, events, timeline, problems):
    """RELOAD_SIGHUPS SIGHUPs and RELOAD_REDEPLOYS redeploys, evenly spread from 5 % to 80 %
    of the window (the last fifth leaves time for what the last event starts — a quiet
    period, a new generation, a drain — to happen under load): a redeploy, then two SIGHUPs,
    and so on. A redeploy copies the plugin over the deployed file with cp (the same inode,
    rewritten); the last one moves a fresh copy onto it with mv (a new inode renamed into
    place)."""
    kinds = []
    for _ in range(RELOAD_REDEPLOYS):
        kinds += ["deploy"] + ["sighup"] * (RELOAD_SIGHUPS // RELOAD_REDEPLOYS)
    kinds += ["sighup"] * (RELOAD_SIGHUPS - kinds.count("sighup"))
    first, last = 0.05 * window, 0.80 * window
    start = time.monotonic()
    deploys = 0
    for index, kind in enumerate(kinds):
        at = first + index * (last - first) / max(1, len(kinds) - 1)
        time.sleep(max(0.0, start + at - time.monotonic()))
        if not server.alive():
            problems.append(f"the gateway exited before event {index + 1} of {len(kinds)}")
            return
        sent_at = round(time.monotonic() - start, 2)
        if kind == "sighup":
            os.kill(server.process.pid, signal.SIGHUP)
            events["sighup"] += 1
            timeline.append([sent_at, "sighup"])
            continue
        deploys += 1
        if deploys < RELOAD_REDEPLOYS:
            steps, kind = [["cp", source, deployed]], "cp"
        else:
            fresh = os.path.join(staging, os.path.basename(deployed))
            steps, kind = [["cp", source, fresh], ["mv", fresh, deployed]], "mv"
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, timeout=10)
            if done.returncode != 0:
                problems.append(f"{' '.join(step)} failed: {done.stderr.strip()}")
                return
        events[kind] += 1
        timeline.append([sent_at, kind])

