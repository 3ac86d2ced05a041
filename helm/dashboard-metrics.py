#!/usr/bin/env python3
"""Checks that every metric a Grafana dashboard queries exists in real Prometheus output.

  helm/dashboard-metrics.py DASHBOARD.json METRICS.prom...
  helm/dashboard-metrics.py --prometheus URL DASHBOARD.json

The metric names are read from each panel target's PromQL `expr` (label matchers, `by (...)`
clauses, durations and strings removed, PromQL functions and keywords skipped); each must be a
sample name in one of the METRICS files (text exposition, e.g. `curl .../metrics`). Exit 1 and name
what is missing otherwise.

With --prometheus every query is run as it is on a running Prometheus (URL, e.g.
http://127.0.0.1:9090; the e2e step `prometheus`): it must be valid and return data, or, where it
selects nothing now (no errors, no bans), every metric it names must have series there.
"""
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

PROMQL_WORDS = {
    "sum", "avg", "min", "max", "count", "stddev", "stdvar", "topk", "bottomk", "quantile",
    "count_values", "group", "by", "without", "on", "ignoring", "group_left", "group_right",
    "rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "histogram_quantile",
    "abs", "ceil", "floor", "round", "clamp", "clamp_min", "clamp_max", "vector", "scalar", "time",
    "label_replace", "label_join", "sort", "sort_desc", "absent", "changes", "resets",
    "avg_over_time", "max_over_time", "min_over_time", "sum_over_time", "count_over_time",
    "last_over_time", "and", "or", "unless", "offset", "bool", "inf", "nan",
}


def queried(expr):
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)          # strings
    expr = re.sub(r"\{[^}]*\}", "", expr)                 # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)                # range durations
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    names = set(re.findall(r"[A-Za-z_:][A-Za-z0-9_:]*", expr))
    return {n for n in names if n.lower() not in PROMQL_WORDS}


def exposed(path):
    out = set()
    for line in open(path, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            out.add(re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line).group(0))
    return out


def targets(dashboard):
    for panel in dashboard.get("panels", []):
        for target in panel.get("targets", []):
            if target.get("expr"):
                yield panel["title"], target["expr"]


def api(url, path, **params):
    query = urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen("%s/api/v1/%s?%s" % (url, path, query), timeout=10) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as e:  # a refused query: Prometheus says why in the body
        answer = json.load(e)
    if answer.get("status") != "success":
        raise ValueError("%s: %s" % (answer.get("errorType"), answer.get("error")))
    return answer["data"]


def check_live(url, dashboard):
    bad = 0
    for title, expr in targets(dashboard):
        try:
            result = api(url, "query", query=expr)["result"]
        except (ValueError, OSError) as e:
            print("panel %r: %s fails: %s" % (title, expr, e))
            bad += 1
            continue
        if result:
            print("panel %r: %s -> %d series" % (title, expr, len(result)))
            continue
        absent = [n for n in sorted(queried(expr)) if not api(url, "series", **{"match[]": n})]
        if absent:
            print("panel %r: %s selects nothing, and %s has no series" % (title, expr, " ".join(absent)))
            bad += 1
        else:
            print("panel %r: %s -> no series now (its metrics exist: %s)"
                  % (title, expr, " ".join(sorted(queried(expr)))))
    return 1 if bad else 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--prometheus":
        return check_live(sys.argv[2].rstrip("/"), json.load(open(sys.argv[3], encoding="utf-8")))
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    dashboard = json.load(open(sys.argv[1], encoding="utf-8"))
    have = set().union(*(exposed(p) for p in sys.argv[2:]))
    wanted = {}
    for title, expr in targets(dashboard):
        for name in queried(expr):
            wanted.setdefault(name, title)
    missing = {n: t for n, t in wanted.items() if n not in have}
    for name, title in sorted(missing.items()):
        print("panel %r queries %s, which no metrics output has" % (title, name))
    if missing:
        return 1
    print("all %d metrics the dashboard queries exist: %s" % (len(wanted), " ".join(sorted(wanted))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
