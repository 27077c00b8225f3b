#!/usr/bin/env python3
"""Turns bench/run's JSON lines into the Markdown tables that bench/RESULTS.md records.

    bench/report.py RESULTS.jsonl                      # the tables, as bench/run prints them
    bench/report.py RESULTS.jsonl --record             # the whole record: heading, machine, tables
    bench/report.py RESULTS.jsonl --append bench/RESULTS.md

The file holds one "run" line (command, machine, versions, the servers and scenarios asked for)
and one "measurement" line per server, scenario and round. Each cell is the median of a server's
rounds, with its ratio to the row's baseline measured in the same run. Python 3 standard library
only. See bench/README.md.
"""
import argparse
import json
import os
import sys
from collections import defaultdict

sys.dont_write_bytecode = True  # no __pycache__ in the tree (the record says +dirty)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenarios import (BY_ID, RELOAD_MAX_P99_RATIO, SERVER_NOTES, TABLES,  # noqa: E402
                       TARGETS)

RESULTS_HEADER = ("# Benchmark results\n\nAppended by `bench/run`; newest last. "
                  "See bench/README.md for what each row means.\n")


def read_lines(path):
    """The run line and the measurement lines of a JSON-lines file."""
    run, measurements = None, []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise SystemExit(f"report: {path}:{number}: not JSON: {error}")
            if record.get("record") == "run":
                run = record
            elif record.get("record") == "measurement":
                measurements.append(record)
    if run is None:
        raise SystemExit(f"report: {path} has no run line")
    return run, measurements


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return float(f"{(ordered[middle - 1] + ordered[middle]) / 2:.2f}")


def value_text(scenario_id, value):
    return f"{value:.2f}" if scenario_id == "idle" else f"{value:,.0f}"


class Results:
    """The value ("n/a" or a number) and notes of each (scenario, server) as the tables show
    them, and the reload scenario's lines."""

    def __init__(self, run, measurements):
        self.run = run
        self.ids = [i for i in run["scenarios"] if i in BY_ID]
        self.servers = run["servers"]
        self.value = {}
        self.note = {}
        self.reload = [m for m in measurements if m["scenario"] == "reload"]
        repeat = run.get("repeat", 1)
        for scenario_id in self.ids:
            if scenario_id != "reload":
                mine = [m for m in measurements if m["scenario"] == scenario_id]
                self._collect(scenario_id, mine, repeat)

    def _collect(self, scenario_id, measurements, repeat):
        # A server that could not be measured in one round is n/a, with that round's reason.
        samples = defaultdict(list)
        for m in measurements:
            key = (scenario_id, m["server"])
            if self.value.get(key) == "n/a":
                continue
            note = m.get("note", "")
            if m["value"] is None:
                self.value[key] = "n/a"
                self.note[key] = note
                continue
            samples[m["server"]].append(m["value"])
            if note and note not in self.note.get(key, ""):
                self.note[key] = f"{self.note[key]}; {note}" if self.note.get(key) else note
        for server, values in samples.items():
            key = (scenario_id, server)
            if self.value.get(key) == "n/a":
                continue
            self.value[key] = median(values)
            if repeat > 1:
                rounds = " ".join(value_text(scenario_id, v).replace(",", "") for v in values)
                earlier = self.note.get(key)
                self.note[key] = f"median of {rounds}" + (f"; {earlier}" if earlier else "")

    def measured(self, scenario_id, server):
        value = self.value.get((scenario_id, server))
        return None if value in (None, "n/a") else value

    def baseline_server(self, scenario_id, reference=None):
        """The reference server itself, or for "best:a,b,c" whichever of them measured most."""
        reference = reference or BY_ID[scenario_id].baseline
        if not reference.startswith("best:"):
            return reference
        best, best_value = "", 0
        for server in reference[len("best:"):].split(","):
            value = self.measured(scenario_id, server)
            if value is not None and (not best or value > best_value):
                best, best_value = server, value
        return best

    def ratio(self, scenario_id, server, reference_server):
        value = self.measured(scenario_id, server)
        base = self.measured(scenario_id, reference_server) if reference_server else None
        if value is None or base is None or base <= 0:
            return ""
        return f"{value / base:.2f}"

    def cell(self, scenario_id, server):
        value = self.value.get((scenario_id, server))
        if value is None:
            return "—"
        if value == "n/a":
            return "n/a"
        text = value_text(scenario_id, value)
        base = self.baseline_server(scenario_id)
        if server != base:
            factor = self.ratio(scenario_id, server, base)
            if factor:
                text += f" ({factor}×)"
        return text

    def describe_baseline(self, scenario_id):
        baseline = BY_ID[scenario_id].baseline
        if not baseline.startswith("best:"):
            return baseline
        best = self.baseline_server(scenario_id)
        names = baseline[len("best:"):].replace(",", "/")
        return f"best of {names}{' = ' + best if best else ''} for {scenario_id}"

    def table(self, name):
        ids = [i for i in self.ids if BY_ID[i].table == name]
        if not ids:
            return ""
        if name == "reload":
            return self.reload_table()
        columns = [s for s in self.servers if any(s in BY_ID[i].servers for i in ids)]
        lines = ["| scenario | unit |" + "".join(f" {s} |" for s in columns),
                 "|---|---|" + "---:|" * len(columns)]
        notes = []
        for i in ids:
            scenario = BY_ID[i]
            lines.append(f"| {scenario.title} | {scenario.unit} |" +
                         "".join(f" {self.cell(i, s)} |" for s in columns))
            notes += [f"- {scenario.title}, {s}: {self.note[(i, s)]}"
                      for s in columns if self.note.get((i, s))]
        notes += [f"- {s}: {SERVER_NOTES[s]}" for s in columns if s in SERVER_NOTES]
        baselines = list(dict.fromkeys(self.describe_baseline(i) for i in ids))
        lines += ["", f"(×) = ratio to the row's baseline ({'; '.join(baselines)}) measured in the"
                      " same run; higher is better" +
                  (", except for memory (MiB per 1k conns), where lower is better." if "idle" in ids
                   else ".")]
        if notes:
            lines += ["", "Notes:", ""] + notes
        return "\n".join(lines)

    def reload_table(self):
        scenario = BY_ID["reload"]
        lines = [f"| {scenario.title} | requests | req/s | errors |"
                 " p50 ms | p90 ms | p99 ms | max ms |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|"]
        notes, verdicts = [], []
        by_round = defaultdict(dict)
        for m in self.reload:
            by_round[m["round"]][m["phase"]] = m
        for round_number in sorted(by_round):
            phases = by_round[round_number]
            prefix = f"round {round_number}: " if len(by_round) > 1 else ""
            for phase in ("steady", "reload"):
                m = phases.get(phase)
                if m is None:
                    continue
                label = prefix + reload_label(m)
                if m["value"] is None:
                    lines.append(f"| {label} | n/a | n/a | n/a | n/a | n/a | n/a | n/a |")
                    notes.append(f"- {label}: {m.get('note', '')}")
                    continue
                latency = m["latency_ms"]
                lines.append(f"| {label} | {m['requests']:,} | {m['value']:,.0f} |"
                             f" {m['error_total']:,} |"
                             + "".join(f" {latency[p]:.2f} |"
                                       for p in ("p50", "p90", "p99", "max")))
                if m.get("note"):
                    notes.append(f"- {label}: {m['note']}")
            verdict = reload_verdict(phases.get("steady"), phases.get("reload"))
            verdicts.append(f"- {prefix}{verdict}")
        lines += ["", "Gateway with `--workers "
                  f"{self.reload[0].get('workers', '?') if self.reload else '?'}`, one wrk thread; "
                  "errors = non-2xx (wrk: status ≥ 400) + socket errors (connect, read, write, "
                  "timeout); latency percentiles from wrk's histogram.", ""]
        lines += verdicts
        if notes:
            lines += ["", "Notes:", ""] + notes
        return "\n".join(lines)

    def targets(self):
        lines = []
        for scenario_id, subject, reference, minimum in TARGETS:
            if scenario_id not in self.ids:
                continue
            title = BY_ID[scenario_id].title
            server = self.baseline_server(scenario_id, reference)
            factor = self.ratio(scenario_id, subject, server)
            what = reference
            if reference.startswith("best:"):
                what = (f"the best of {reference[len('best:'):].replace(',', '/')}"
                        f"{f' ({server})' if server else ''}")
            if not factor:
                lines.append(f"- {title}: {subject} vs {what} ≥ {minimum}×: not measured")
            else:
                verdict = "met" if float(factor) >= float(minimum) else "**missed**"
                lines.append(f"- {title}: {subject} {factor}× {what}"
                             f" (target ≥ {minimum}×): {verdict}")
        if not lines:
            return ""
        return "\n".join(["Targets (issues 2, 3 and 8):", ""] + lines)


def reload_label(m):
    seconds = f"{m['duration_s']:g} s" if m.get("duration_s") else ""
    if m["phase"] == "steady":
        return f"steady state, no reloads ({seconds})"
    events = m.get("events", {})
    return (f"{events.get('sighup', 0)} SIGHUPs + {events.get('cp', 0) + events.get('mv', 0)} "
            f"redeploys ({events.get('cp', 0)} cp, {events.get('mv', 0)} mv) in {seconds}")


def reload_verdict(steady, reload):
    """Issue 7's acceptance for one round: no failed request, p99 within 2x of steady state."""
    if not reload or reload["value"] is None:
        return "reload: not measured"
    errors = reload["error_total"]
    text = f"errors during reloads: {errors:,} (target 0): {'met' if errors == 0 else '**missed**'}"
    if steady and steady["value"] is not None and steady["latency_ms"]["p99"] > 0:
        factor = reload["latency_ms"]["p99"] / steady["latency_ms"]["p99"]
        verdict = "met" if factor <= RELOAD_MAX_P99_RATIO else "**missed**"
        text += (f"; p99 during reloads {factor:.2f}× steady state"
                 f" (target ≤ {RELOAD_MAX_P99_RATIO:g}×): {verdict}")
    return text


def tables(run, measurements):
    """The tables and the targets, as bench/run prints them and RESULTS.md records them."""
    results = Results(run, measurements)
    parts = [text for text in (results.table(name) for name in TABLES) if text]
    text = "\n\n".join(parts)
    targets = results.targets()
    if targets:
        text += f"\n\n{targets}"
    return text


def record(run, measurements):
    """One RESULTS.md record: heading, command, machine, versions, then the tables."""
    versions = "".join(f" {run['versions'].get(s, s)}," for s in run["servers"])
    timing = [f"duration {run['duration']} per run"] * any(i != "reload" for i in run["scenarios"])
    timing += [f"reload windows of {run.get('reload_duration')}"] * ("reload" in run["scenarios"])
    return "\n".join([
        "",
        f"## {run['date']} — commit {run['commit']}",
        "",
        f"- command: `{run['command']}` ({'; '.join(timing)})",
        f"- machine: {run['cores']} cores, {run['cpu']}, Linux {run['kernel']};"
        f" load average before the run: {run['load_before']}",
        f"- servers:{versions} wrk {run['wrk']}",
        "",
        tables(run, measurements),
    ]) + "\n"


def append_record(path, run, measurements):
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as results:
            results.write(RESULTS_HEADER)
    with open(path, "a", encoding="utf-8") as results:
        results.write(record(run, measurements))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("jsonl", help="the JSON-lines file bench/run wrote")
    parser.add_argument("--record", action="store_true",
                        help="print the whole record (heading, machine, versions), not only tables")
    parser.add_argument("--append", metavar="RESULTS.md", help="append the record to this file")
    args = parser.parse_args()
    run, measurements = read_lines(args.jsonl)
    if args.append:
        append_record(args.append, run, measurements)
    elif args.record:
        sys.stdout.write(record(run, measurements))
    else:
        print(tables(run, measurements))


if __name__ == "__main__":
    main()
