#!/usr/bin/env python3
"""The clock of make bench-e2e (e2e/bench-start.sh): API watch streams with local receive times.

  bench_watch.py watch --kubeconfig K --namespace NS --out EVENTS --synced FILE --addresses DIR
      one watch per kind (FtpServers, Services, claims, Deployments, Pods, EndpointSlices) in NS, each event
      a JSON line {t, kind, type, object} with t = time.time() when it arrived; FILE is written once
      every watch is established; DIR/<instance> gets a Service's load-balancer address when it has one
  bench_watch.py breakdown --events EVENTS --instance NAME --apply T --first T [--listening T] --label L
      the milestones of one round (first time each was seen), ms after the apply; appends a JSON line
      to --rounds
  bench_watch.py summary --rounds ROUNDS
      medians per kind of round and milestone, and the ratio of the apply -> first transfer medians

Milestone times are receive times of watch events (millisecond precision, not the second-granularity
timestamps in the objects), except JVM listening (the pod log line's timestamp, from kubectl logs
--timestamps) and the first transfer (the client's clock). Everything runs on one machine, one clock.
"""
import argparse
import base64
import http.client
import json
import os
import ssl
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime

import yaml

INSTANCE = "app.kubernetes.io/instance"
KINDS = {
    "FtpServer": "/apis/ftp.operator.dev/v1alpha1/namespaces/{ns}/ftpservers",
    "Service": "/api/v1/namespaces/{ns}/services",
    "Deployment": "/apis/apps/v1/namespaces/{ns}/deployments",
    "Pod": "/api/v1/namespaces/{ns}/pods",
    "EndpointSlice": "/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices",
    "PersistentVolumeClaim": "/api/v1/namespaces/{ns}/persistentvolumeclaims",
}
# in the order they happen; (name, what it is)
MILESTONES = [
    ("service", "Service created"),
    ("address", "load-balancer address assigned"),
    ("claim", "PersistentVolumeClaim created"),
    ("bound", "PersistentVolumeClaim bound"),
    ("deployment", "Deployment created"),
    ("pod", "pod created"),
    ("scheduled", "pod scheduled"),
    ("started", "container running (kubelet status)"),
    ("listening", "JVM listening (pod log)"),
    ("ready", "pod Ready"),
    ("endpoint", "endpoint ready in the EndpointSlice"),
    ("ftpserver_ready", "FtpServer Ready condition"),
    ("first", "first passive transfer"),
]


def connection(kubeconfig):
    with open(kubeconfig) as f:
        config = yaml.safe_load(f)
    context = next(c["context"] for c in config["contexts"] if c["name"] == config["current-context"])
    cluster = next(c["cluster"] for c in config["clusters"] if c["name"] == context["cluster"])
    user = next(u["user"] for u in config["users"] if u["name"] == context["user"])
    tls = ssl.create_default_context(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
    with tempfile.TemporaryDirectory() as d:
        cert, key = os.path.join(d, "crt"), os.path.join(d, "key")
        for path, field in ((cert, "client-certificate-data"), (key, "client-key-data")):
            with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as out:
                out.write(base64.b64decode(user[field]))
        tls.load_cert_chain(cert, key)
    host = cluster["server"].removeprefix("https://")
    return lambda: http.client.HTTPSConnection(host, context=tls, timeout=3600)


def get(connect, path):
    conn = connect()
    conn.request("GET", path)
    response = conn.getresponse()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status} {response.read()[:200]!r}")
    return conn, response


def watch_kind(connect, kind, path, emit, synced):
    _, response = get(connect, path)
    version = json.loads(response.read())["metadata"]["resourceVersion"]
    first = True
    while True:
        conn, response = get(connect, f"{path}?watch=1&resourceVersion={version}&timeoutSeconds=3600")
        if first:
            synced.release()
            first = False
        for line in response:
            t = time.time()
            event = json.loads(line)
            if event["type"] == "ERROR":  # resourceVersion too old: list again
                _, response = get(connect, path)
                version = json.loads(response.read())["metadata"]["resourceVersion"]
                break
            version = event["object"]["metadata"]["resourceVersion"]
            emit({"t": t, "kind": kind, "type": event["type"], "object": event["object"]})
        conn.close()


def lb_address(service):
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    return ingress[0].get("ip") if ingress else None


def watch(args):
    connect = connection(args.kubeconfig)
    lock = threading.Lock()
    out = open(args.out, "a")

    def emit(record):
        with lock:
            out.write(json.dumps(record) + "\n")
            out.flush()
            obj = record["object"]
            instance = (obj["metadata"].get("labels") or {}).get(INSTANCE)
            if record["kind"] == "Service" and instance and lb_address(obj):
                path = os.path.join(args.addresses, instance)
                if not os.path.exists(path):
                    with open(path + ".tmp", "w") as f:
                        f.write(lb_address(obj) + "\n")
                    os.rename(path + ".tmp", path)

    synced = threading.Semaphore(0)
    for kind, path in KINDS.items():
        threading.Thread(
            target=watch_kind, args=(connect, kind, path.format(ns=args.namespace), emit, synced), daemon=True
        ).start()
    for _ in KINDS:
        if not synced.acquire(timeout=60):
            sys.exit("watches not established within 60 s")
    with open(args.synced, "w") as f:
        f.write("synced\n")
    while True:
        time.sleep(3600)


def condition(obj, name):
    for c in (obj.get("status") or {}).get("conditions") or []:
        if c.get("type") == name and c.get("status") == "True":
            return True
    return False


def milestone_of(kind, obj, instance):
    """The milestones an event of this object shows (the first time each is seen counts)."""
    labels = obj["metadata"].get("labels") or {}
    found = []
    if kind == "FtpServer" and obj["metadata"]["name"] == instance and condition(obj, "Ready"):
        found.append("ftpserver_ready")
    if labels.get(INSTANCE) != instance and kind != "EndpointSlice":
        return found
    status = obj.get("status") or {}
    if kind == "Service":
        found.append("service")
        if lb_address(obj):
            found.append("address")
    elif kind == "PersistentVolumeClaim":
        found.append("claim")
        if status.get("phase") == "Bound":
            found.append("bound")
    elif kind == "Deployment":
        found.append("deployment")
    elif kind == "Pod":
        found.append("pod")
        if (obj.get("spec") or {}).get("nodeName"):
            found.append("scheduled")
        if any("running" in (s.get("state") or {}) for s in status.get("containerStatuses") or []):
            found.append("started")
        if condition(obj, "Ready"):
            found.append("ready")
    return found


def breakdown(args):
    seen = {}
    services = set()
    slices = []
    with open(args.events) as f:
        for line in f:
            record = json.loads(line)
            obj = record["object"]
            if record["kind"] == "Service" and (obj["metadata"].get("labels") or {}).get(INSTANCE) == args.instance:
                services.add(obj["metadata"]["name"])
            if record["kind"] == "EndpointSlice":
                slices.append(record)
            if record["t"] < args.apply:
                continue
            for m in milestone_of(record["kind"], obj, args.instance):
                seen.setdefault(m, record["t"])
    for record in slices:
        obj = record["object"]
        if record["t"] >= args.apply and (obj["metadata"].get("labels") or {}).get("kubernetes.io/service-name") in services:
            if any((e.get("conditions") or {}).get("ready") for e in obj.get("endpoints") or []):
                seen.setdefault("endpoint", record["t"])
                break
    if args.listening:
        seen["listening"] = args.listening
    seen["first"] = args.first
    result = {"label": args.label, "instance": args.instance, "ms": {}}
    print(f"  {args.label} {args.instance}: ms after apply (step: ms since the previous milestone)")
    previous = args.apply
    for name, what in MILESTONES:
        if name not in seen:
            continue
        ms = (seen[name] - args.apply) * 1000
        result["ms"][name] = round(ms)
        print(f"    {what:<40} {ms:8.0f}   (+{(seen[name] - previous) * 1000:.0f})")
        previous = max(previous, seen[name])
    with open(args.rounds, "a") as f:
        f.write(json.dumps(result) + "\n")


def summary(args):
    rounds = [json.loads(line) for line in open(args.rounds)]
    labels = list(dict.fromkeys(r["label"] for r in rounds))
    medians = {}
    for label in labels:
        mine = [r["ms"] for r in rounds if r["label"] == label]
        print(f"  {label}: median of {len(mine)} rounds, ms after apply (min-max)")
        for name, what in MILESTONES:
            values = [r[name] for r in mine if name in r]
            if values:
                print(f"    {what:<40} {statistics.median(values):8.0f}   ({min(values)}-{max(values)})")
        medians[label] = statistics.median(r["first"] for r in mine)
    if len(labels) == 2:
        a, b = labels
        print(f"  apply -> first transfer: {a} {medians[a]:.0f} ms, {b} {medians[b]:.0f} ms,"
              f" ratio {a}/{b} = {medians[a] / medians[b]:.2f} (target <= 1.2)")


def log_time(args):
    """Timestamp (epoch seconds) of the first line of `kubectl logs --timestamps` that contains TEXT."""
    for line in sys.stdin:
        stamp, _, text = line.partition(" ")
        if args.text in text:
            # RFC 3339 with nanoseconds: keep microseconds for datetime
            head, _, frac = stamp.rstrip("Z").partition(".")
            print(f"{datetime.fromisoformat(head + '+00:00').timestamp() + float('0.' + (frac or '0')):.6f}")
            return
    sys.exit(f"no log line with {args.text!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("watch")
    for a in ("--kubeconfig", "--namespace", "--out", "--synced", "--addresses"):
        w.add_argument(a, required=True)
    b = sub.add_parser("breakdown")
    for a in ("--events", "--instance", "--label", "--rounds"):
        b.add_argument(a, required=True)
    for a in ("--apply", "--first"):
        b.add_argument(a, type=float, required=True)
    b.add_argument("--listening", type=float)
    s = sub.add_parser("summary")
    s.add_argument("--rounds", required=True)
    t = sub.add_parser("log-time")
    t.add_argument("--text", required=True)
    args = parser.parse_args()
    {"watch": watch, "breakdown": breakdown, "summary": summary, "log-time": log_time}[args.command](args)


if __name__ == "__main__":
    main()
