#!/usr/bin/env python3
"""Checks that every metric a Grafana dashboard queries exists in real Prometheus output.

  helm/dashboard-metrics.py DASHBOARD.json METRICS.prom...

The metric names are read from each panel target's PromQL `expr` (label matchers, `by (...)`
clauses, durations and strings removed, PromQL functions and keywords skipped); each must be a
sample name in one of the METRICS files (text exposition, e.g. `curl .../metrics`). Exit 1 and name
what is missing otherwise.
"""
import json
import re
import sys

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


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    dashboard = json.load(open(sys.argv[1], encoding="utf-8"))
    have = set().union(*(exposed(p) for p in sys.argv[2:]))
    wanted = {}
    for panel in dashboard.get("panels", []):
        for target in panel.get("targets", []):
            for name in queried(target.get("expr", "")):
                wanted.setdefault(name, panel["title"])
    missing = {n: t for n, t in wanted.items() if n not in have}
    for name, title in sorted(missing.items()):
        print("panel %r queries %s, which no metrics output has" % (title, name))
    if missing:
        return 1
    print("all %d metrics the dashboard queries exist: %s" % (len(wanted), " ".join(sorted(wanted))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
