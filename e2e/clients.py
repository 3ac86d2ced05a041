#!/usr/bin/env python3
"""Real FTP clients against one FTP endpoint, as an outside user runs them.

e2e/run.sh runs this inside the `ftp-client` network namespace, which reaches only the load-balancer
address pool, never the pod network. Every client (curl, lftp, Python ftplib) uploads a file, lists
the directory and downloads the file again, in every data-connection mode (PASV, EPSV, active
PORT/EPRT, explicit FTPS); the download must match the upload byte for byte (sha256). For each
client and mode it prints what it transferred and the data address the server gave (the PASV reply),
and checks that address is the load balancer's and the port lies in the declared passive range.

Sub-commands:
  matrix   every client x mode; exit 1 when any fails (none is skipped)
  probe    one quick curl PASV upload+download (exit 0 on success), for timing the first transfer
  put      upload a file whose content derives from its name (for the PVC survival check)
  verify   download such a file and compare it with the content its name implies
  control  against a server that advertises no public address: PASV must name a non-LB address
           and passive transfers must fail; EPSV is shown for contrast
  sessions --count N --parallel P [--replicas R]: N sessions one after the other, then P at once,
           curl, lftp and ftplib in turn, PASV and EPSV, each upload+list+download byte for byte; with
           R replicas it counts which pod's slice each data port belongs to (the pod that answered)
  hold     --direction get|put --rate B/s --release FILE: one transfer of --name kept running across
           an operation (an operator upgrade): at --rate until FILE exists, then at full speed; a
           download must match byte for byte; exit 1 also when it ended before the release
  hold-pasv  PASV, print "pending PORT", wait for "go" on stdin, then download --name on that port
  hijack   --data-port P from another address: the server must close it without sending a byte
  slow     --count N --replicas R sessions at once, N/R on each pod, rate-limited (--rate) downloads
           and uploads of --size bytes; "all N transferring" once they all run, then PASS/FAIL each
"""

import argparse
import ftplib
import hashlib
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

TIMEOUT = 20  # seconds for every socket operation and connect
CMD_TIMEOUT = 90  # seconds for one curl/lftp process


# the control case turns the address check off: there only the transfer itself may fail
CHECK_ADDRESSES = True


class Failure(Exception):
    pass


def payload(name, size):
    """Deterministic pseudo-random bytes derived from a name: the same name gives the same content."""
    out = bytearray()
    block = hashlib.sha256(name.encode()).digest()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block * 32
    return bytes(out[:size])


def sha(data):
    return hashlib.sha256(data).hexdigest()


class Seen:
    """Data-connection addresses a client saw (passive replies) or offered (active commands)."""

    def __init__(self):
        self.items = []  # (kind, host, port)

    def add(self, kind, host, port):
        self.items.append((kind, host, int(port)))

    def parse_log(self, text, control_host):
        for m in re.finditer(r"227 [^(\n]*\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)", text):
            n = [int(x) for x in m.groups()]
            self.add("PASV", "%d.%d.%d.%d" % tuple(n[:4]), n[4] * 256 + n[5])
        for m in re.finditer(r"229 [^(\n]*\(\|\|\|(\d+)\|\)", text):
            self.add("EPSV", control_host, m.group(1))
        for m in re.finditer(r"PORT (\d+),(\d+),(\d+),(\d+),(\d+),(\d+)", text):
            n = [int(x) for x in m.groups()]
            self.add("PORT", "%d.%d.%d.%d" % tuple(n[:4]), n[4] * 256 + n[5])
        for m in re.finditer(r"EPRT \|1\|([\d.]+)\|(\d+)\|", text):
            self.add("EPRT", m.group(1), m.group(2))

    def describe(self):
        if not self.items:
            return "none"
        uniq = []
        for kind, host, port in self.items:
            s = "%s %s:%d" % (kind, host, port)
            if s not in uniq:
                uniq.append(s)
        return ", ".join(uniq)


class Target:
    def __init__(self, a):
        self.host = a.host
        self.port = a.port
        self.user = a.user
        self.password = a.password
        lo, hi = a.passive_range.split("-")
        self.pmin, self.pmax = int(lo), int(hi)
        self.client_address = a.client_address
        self.cafile = a.cafile
        self.dir = a.dir

    def url(self, path=""):
        return "ftp://%s:%d/%s" % (self.host, self.port, path)


def check_seen(t, seen, mode):
    """The data addresses must be what an outside client can reach."""
    if not CHECK_ADDRESSES:
        return
    kinds = {"PASV": ["PASV"], "EPSV": ["EPSV"], "PORT": ["PORT"], "EPRT": ["EPRT"]}[mode]
    relevant = [s for s in seen.items if s[0] in kinds]
    if not relevant:
        raise Failure("no %s exchange seen in the client's protocol log" % mode, seen)
    for kind, host, port in relevant:
        if kind in ("PASV", "EPSV"):
            if host != t.host:
                raise Failure("%s reply names %s, not the load-balancer address %s" % (kind, host, t.host), seen)
            if not t.pmin <= port <= t.pmax:
                raise Failure("%s port %d outside the declared range %d-%d" % (kind, port, t.pmin, t.pmax), seen)
        elif t.client_address and host != t.client_address:
            raise Failure("%s offered %s, not the client address %s" % (kind, host, t.client_address), seen)


def run(cmd, **kw):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=kw.pop("timeout", CMD_TIMEOUT), **kw)
    except subprocess.TimeoutExpired as e:
        raise Failure("%s timed out after %ss" % (cmd[0], e.timeout))


# ---------------------------------------------------------------------------------------------------
# curl

def curl_base(t, mode, tls):
    cmd = ["curl", "-sS", "-v", "--user", "%s:%s" % (t.user, t.password), "--connect-timeout", "5",
           "--max-time", "60", "--ftp-create-dirs",
           # use the address of the PASV reply (curl >= 7.74 ignores it by default and reuses the
           # control connection's host, which would hide the very problem this test looks for)
           "--no-ftp-skip-pasv-ip"]
    if mode == "PASV":
        cmd += ["--disable-epsv"]
    elif mode == "EPSV":
        cmd += ["--ftp-pasv"]
    elif mode == "PORT":
        cmd += ["-P", t.client_address or "-", "--disable-eprt"]
    elif mode == "EPRT":
        cmd += ["-P", t.client_address or "-"]
    if tls:
        cmd += ["--ssl-reqd", "--cacert", t.cafile]
    return cmd


def curl_case(t, mode, tls, work, name, data):
    seen = Seen()
    src = os.path.join(work, name)
    with open(src, "wb") as f:
        f.write(data)
    dst = src + ".down"
    steps = [
        ("upload", ["-T", src, t.url("%s/%s" % (t.dir, name))]),
        ("list", [t.url(t.dir + "/")]),
        ("download", ["-o", dst, t.url("%s/%s" % (t.dir, name))]),
    ]
    listing = ""
    for step, extra in steps:
        p = run(curl_base(t, mode, tls) + extra)
        seen.parse_log(p.stderr, t.host)
        if tls and not tls_negotiated(p.stderr):
            raise Failure("curl did not negotiate TLS on control and data (AUTH, PROT P)", seen)
        if p.returncode != 0:
            raise Failure("curl %s failed (exit %d): %s" % (step, p.returncode, last_lines(p.stderr)), seen)
        if step == "list":
            listing = p.stdout
    return finish(t, mode, seen, name, data, listing, read(dst))


# ---------------------------------------------------------------------------------------------------
# lftp

def lftp_settings(t, mode, tls):
    s = ["set cmd:fail-exit true", "set net:timeout 10", "set net:max-retries 2",
         "set net:reconnect-interval-base 2", "set net:persist-retries 0",
         # take the server's passive address literally: no client-side repair of a wrong address
         "set ftp:fix-pasv-address false", "set ftp:ignore-pasv-address false",
         "set ftp:passive-mode %s" % ("false" if mode in ("PORT", "EPRT") else "true"),
         "set ftp:prefer-epsv %s" % ("true" if mode == "EPSV" else "false")]
    if mode in ("PORT", "EPRT") and t.client_address:
        s.append("set ftp:port-ipv4 %s" % t.client_address)
    if tls:
        s += ["set ftp:ssl-allow true", "set ftp:ssl-force true", "set ftp:ssl-protect-data true",
              "set ftp:ssl-protect-list true", "set ssl:verify-certificate true", "set ssl:ca-file %s" % t.cafile]
    else:
        s.append("set ftp:ssl-allow false")
    s.append("open -u %s,%s %s" % (lftp_quote(t.user), lftp_quote(t.password), t.url()))
    return s


def lftp_quote(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def lftp_run(t, mode, tls, commands):
    script = "; ".join(lftp_settings(t, mode, tls) + commands)
    # -d: the protocol dialogue goes to stderr, which is where the PASV replies are read from
    p = run(["lftp", "-d", "-c", script])
    seen = Seen()
    seen.parse_log(p.stderr, t.host)
    if CHECK_ADDRESSES and "has been fixed" in p.stderr:
        raise Failure("lftp replaced the PASV address by its own guess (ftp:fix-pasv-address)", seen)
    if tls and not tls_negotiated(p.stderr):
        raise Failure("lftp did not negotiate TLS on control and data (AUTH, PROT P)", seen)
    if p.returncode != 0:
        raise Failure("lftp failed (exit %d): %s" % (p.returncode, last_lines(strip_debug(p.stderr))), seen)
    return p, seen


def lftp_case(t, mode, tls, work, name, data):
    src = os.path.join(work, name)
    with open(src, "wb") as f:
        f.write(data)
    dst = src + ".down"
    p, seen = lftp_run(t, mode, tls, [
        "mkdir -p -f %s" % t.dir,
        "put %s -o %s/%s" % (src, t.dir, name),
        "cls -l %s/" % t.dir,
        "get %s/%s -o %s" % (t.dir, name, dst),
    ])
    return finish(t, mode, seen, name, data, p.stdout, read(dst))


def lftp_mirror_case(t, mode, tls, work, name, _data):
    """mirror -R a small tree up, mirror it back down, compare every file."""
    up = os.path.join(work, name)
    files = {}
    for rel, size in (("a.bin", 200000), ("sub/b.txt", 1234), ("sub/deeper/c.bin", 65536), ("empty", 0)):
        path = os.path.join(up, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        files[rel] = payload(name + rel, size)
        with open(path, "wb") as f:
            f.write(files[rel])
    down = os.path.join(work, name + ".down")
    remote = "%s/%s" % (t.dir, name)
    p, seen = lftp_run(t, mode, tls, [
        "mkdir -p -f %s" % t.dir,
        "mirror -R --no-perms %s %s" % (up, remote),
        "find %s" % remote,
        "mirror --no-perms %s %s" % (remote, down),
    ])
    for rel, content in files.items():
        got = read(os.path.join(down, rel))
        if got != content:
            raise Failure("mirror: %s differs after the round trip" % rel, seen)
        if os.path.basename(rel) not in p.stdout:
            raise Failure("mirror: %s missing from the remote listing" % rel, seen)
    check_seen(t, seen, mode)
    total = sum(len(c) for c in files.values())
    return "mirrored %d files (%d B) up and down, all sha256 equal" % (len(files), total), seen


# ---------------------------------------------------------------------------------------------------
# Python ftplib

class RecordingMixin:
    """Forces the data-connection mode and records the addresses, whatever the address family."""

    mode = "PASV"
    seen = None

    def makepasv(self):
        if self.mode == "EPSV":
            host, port = ftplib.parse229(self.sendcmd("EPSV"), self.sock.getpeername())
            self.seen.add("EPSV", host, port)
        else:
            host, port = ftplib.parse227(self.sendcmd("PASV"))
            self.seen.add("PASV", host, port)
            # like trust_server_pasv_ipv4_address=True: use the address the server sent, so a wrong
            # one shows (ftplib's default would silently substitute the control connection's host)
        return host, port

    def makeport(self):
        sock = socket.create_server(("", 0), family=self.af, backlog=1)
        port = sock.getsockname()[1]
        host = self.sock.getsockname()[0]
        if self.mode == "EPRT":
            self.sendeprt(host, port)
        else:
            self.sendport(host, port)
        self.seen.add(self.mode, host, port)
        sock.settimeout(TIMEOUT)
        return sock


class RecordingFTP(RecordingMixin, ftplib.FTP):
    pass


class RecordingFTPTLS(RecordingMixin, ftplib.FTP_TLS):
    """FTP_TLS that resumes the control connection's TLS session on each data connection.

    The bundled server requires that by default (FTP_TLS_SESSION_REUSE_REQUIRED=true, like vsftpd's
    require_ssl_reuse): it proves the data connection comes from the client that logged in. Stock
    ftplib opens a fresh TLS session per data connection and fails with SSLEOFError.
    """

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size


def ftplib_connect(t, mode, tls):
    seen = Seen()
    if tls:
        ctx = ssl.create_default_context(cafile=t.cafile)
        ftp = RecordingFTPTLS(context=ctx, timeout=TIMEOUT)
    else:
        ftp = RecordingFTP(timeout=TIMEOUT)
    ftp.mode, ftp.seen = mode, seen
    ftp.connect(t.host, t.port)
    ftp.login(t.user, t.password)  # FTP_TLS sends AUTH TLS first
    if tls:
        ftp.prot_p()
    ftp.set_pasv(mode in ("PASV", "EPSV"))
    return ftp, seen


def ftplib_case(t, mode, tls, work, name, data):
    import io
    ftp, seen = ftplib_connect(t, mode, tls)
    try:
        try:
            ftp.mkd(t.dir)
        except ftplib.error_perm:
            pass  # exists
        ftp.storbinary("STOR %s/%s" % (t.dir, name), io.BytesIO(data))
        lines = []
        ftp.retrlines("LIST %s" % t.dir, lines.append)
        buf = io.BytesIO()
        ftp.retrbinary("RETR %s/%s" % (t.dir, name), buf.write)
        ftp.quit()
    except (OSError, EOFError, ftplib.Error) as e:
        raise Failure("ftplib: %s: %s" % (type(e).__name__, e), seen)
    finally:
        ftp.close()
    return finish(t, mode, seen, name, data, "\n".join(lines), buf.getvalue())


# ---------------------------------------------------------------------------------------------------

def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def tls_negotiated(log):
    """AUTH accepted (234) and data protection set to private, as seen in a client's protocol log."""
    return re.search(r"\b234 ", log) is not None and re.search(r"PROT P", log) is not None


def strip_debug(text):
    return "\n".join(l for l in text.splitlines() if not l.startswith(("---", "<---", "**** ", "+---")))


def last_lines(text, n=4):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return " | ".join(lines[-n:])


def finish(t, mode, seen, name, data, listing, got):
    if name not in (listing or ""):
        raise Failure("%s missing from the directory listing" % name, seen)
    if got is None:
        raise Failure("download produced no file", seen)
    if got != data:
        raise Failure("downloaded %d B sha256 %s != uploaded %d B sha256 %s"
                      % (len(got), sha(got)[:16], len(data), sha(data)[:16]), seen)
    check_seen(t, seen, mode)
    return "up %d B, listed, down %d B, sha256 %s.. equal" % (len(data), len(got), sha(got)[:12]), seen


CASES = [
    # client, mode (data connection), tls, function
    ("curl", "PASV", False, curl_case),
    ("curl", "EPSV", False, curl_case),
    ("curl", "PORT", False, curl_case),
    ("curl", "EPRT", False, curl_case),
    ("curl", "PASV", True, curl_case),
    ("curl", "EPSV", True, curl_case),
    ("lftp", "PASV", False, lftp_case),
    ("lftp", "EPSV", False, lftp_case),
    ("lftp", "PORT", False, lftp_case),
    ("lftp-mirror", "PASV", False, lftp_mirror_case),
    ("lftp", "PASV", True, lftp_case),
    ("ftplib", "PASV", False, ftplib_case),
    ("ftplib", "EPSV", False, ftplib_case),
    ("ftplib", "PORT", False, ftplib_case),
    ("ftplib", "EPRT", False, ftplib_case),
    ("ftplib", "PASV", True, ftplib_case),
    ("ftplib", "EPSV", True, ftplib_case),
]


def label(client, mode, tls):
    return "%-11s %-4s %-5s" % (client, mode, "FTPS" if tls else "plain")


def cmd_matrix(t, a):
    work = tempfile.mkdtemp(prefix="ftp-e2e-")
    failures = 0
    print("target %s  passive range %d-%d  client address %s" % (t.url(), t.pmin, t.pmax, t.client_address))
    for client, mode, tls, fn in CASES:
        if tls and not t.cafile:
            print("FAIL %s  no --cafile given: FTPS cannot be checked" % label(client, mode, tls))
            failures += 1
            continue
        name = "%s-%s-%s.bin" % (client, mode.lower(), "ftps" if tls else "plain")
        data = payload(name, a.size)
        start = time.monotonic()
        try:
            what, seen = fn(t, mode, tls, work, name, data)
            print("PASS %s  %-60s data: %s  (%.2fs)" % (label(client, mode, tls), what, seen.describe(),
                                                      time.monotonic() - start), flush=True)
        except Failure as e:
            failures += 1
            seen = e.args[1] if len(e.args) > 1 else Seen()
            print("FAIL %s  %s  data: %s" % (label(client, mode, tls), e.args[0], seen.describe()), flush=True)
        except Exception as e:  # a client crashed: still a failure, never a skip
            failures += 1
            print("FAIL %s  %s: %s" % (label(client, mode, tls), type(e).__name__, e), flush=True)
    shutil.rmtree(work, ignore_errors=True)
    print("%d of %d client/mode cases passed" % (len(CASES) - failures, len(CASES)))
    return 1 if failures else 0


def cmd_probe(t, a):
    work = tempfile.mkdtemp(prefix="ftp-probe-")
    try:
        name = "probe-%d.bin" % os.getpid()
        data = payload(name, 4096)
        what, seen = curl_case(t, "PASV", False, work, name, data)
        print("first passive transfer: %s data: %s" % (what, seen.describe()))
        return 0
    except Failure as e:
        print("probe: %s" % e.args[0], file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def store(t, name, data):
    """Uploads data as t.dir/name (PASV, ftplib); returns the data addresses seen."""
    import io
    ftp, seen = ftplib_connect(t, "PASV", False)
    try:
        try:
            ftp.mkd(t.dir)
        except ftplib.error_perm:
            pass
        ftp.storbinary("STOR %s/%s" % (t.dir, name), io.BytesIO(data))
        ftp.quit()
    finally:
        ftp.close()
    return seen


def cmd_put(t, a):
    data = payload(a.name, a.size)
    seen = store(t, a.name, data)
    check_seen(t, seen, "PASV")
    print("stored %s/%s: %d B sha256 %s.. data: %s" % (t.dir, a.name, len(data), sha(data)[:12], seen.describe()))
    return 0


def cmd_verify(t, a):
    import io
    ftp, seen = ftplib_connect(t, "PASV", False)
    buf = io.BytesIO()
    try:
        ftp.retrbinary("RETR %s/%s" % (t.dir, a.name), buf.write)
        ftp.quit()
    except (OSError, EOFError, ftplib.Error) as e:
        print("verify: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1
    finally:
        ftp.close()
    data = payload(a.name, a.size)
    got = buf.getvalue()
    if got != data:
        print("verify: %s/%s has %d B sha256 %s.., expected %d B sha256 %s.."
              % (t.dir, a.name, len(got), sha(got)[:12], len(data), sha(data)[:12]), file=sys.stderr)
        return 1
    check_seen(t, seen, "PASV")
    print("read back %s/%s: %d B sha256 %s.. equal data: %s" % (t.dir, a.name, len(got), sha(got)[:12],
                                                                seen.describe()))
    return 0


def cmd_control(t, a):
    """Without the injected public address the PASV reply names the pod; outside, that fails."""
    global CHECK_ADDRESSES
    CHECK_ADDRESSES = False
    work = tempfile.mkdtemp(prefix="ftp-control-")
    failures = 0
    print("control target %s (server without FTP_PUBLIC_ADDRESS)" % t.url())

    def expect_failure(client, fn):
        nonlocal failures
        name = "control-%s.bin" % client
        try:
            what, seen = fn(t, "PASV", False, work, name, payload(name, 100000))
            failures += 1
            print("FAIL control %-7s PASV: the transfer worked (%s), data: %s" % (client, what, seen.describe()))
            return
        except Failure as e:
            seen = e.args[1] if len(e.args) > 1 else Seen()
            reason = e.args[0]
        pasv = [(h, p) for k, h, p in seen.items if k == "PASV"]
        if not pasv:
            failures += 1
            print("FAIL control %-7s PASV: no PASV reply seen (%s)" % (client, reason))
        elif any(h == t.host for h, _ in pasv):
            failures += 1
            print("FAIL control %-7s PASV: reply named the load-balancer address %s" % (client, t.host))
        elif a.expect_address and any(h != a.expect_address for h, _ in pasv):
            failures += 1
            print("FAIL control %-7s PASV: reply named %s, expected the pod IP %s"
                  % (client, pasv[0][0], a.expect_address))
        else:
            print("PASS control %-7s PASV reply names %s:%d (the pod IP, not %s) and the passive transfer "
                  "fails as expected: %s" % (client, pasv[0][0], pasv[0][1], t.host, reason), flush=True)

    expect_failure("curl", curl_case)
    expect_failure("lftp", lftp_case)
    expect_failure("ftplib", ftplib_case)
    # contrast: EPSV carries no address, so it works even here
    name = "control-epsv.bin"
    try:
        what, seen = curl_case(t, "EPSV", False, work, name, payload(name, 100000))
        print("info control curl    EPSV works without the injection (address-free): %s data: %s"
              % (what, seen.describe()))
    except Failure as e:
        print("info control curl    EPSV: %s" % e.args[0])
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


SESSION_CASES = [("curl", "PASV", curl_case), ("curl", "EPSV", curl_case),
                 ("lftp", "PASV", lftp_case), ("lftp", "EPSV", lftp_case),
                 ("ftplib", "PASV", ftplib_case), ("ftplib", "EPSV", ftplib_case)]


def slice_owner(t, replicas, port):
    """The ordinal whose slice holds port (the operator/ftp-server contract formula)."""
    ports = t.pmax - t.pmin + 1
    for k in range(replicas):
        if t.pmin + k * ports // replicas <= port <= t.pmin + (k + 1) * ports // replicas - 1:
            return k
    return None


def cmd_sessions(t, a):
    """Many independent sessions through the one address; every one must transfer byte for byte."""
    from concurrent.futures import ThreadPoolExecutor
    work = tempfile.mkdtemp(prefix="ftp-sessions-")
    tag = "%d-%d" % (os.getpid(), int(time.time()))

    def one(i):
        client, mode, fn = SESSION_CASES[i % len(SESSION_CASES)]
        name = "s%s-%03d-%s-%s.bin" % (tag, i, client, mode.lower())
        start = time.monotonic()
        try:
            what, seen = fn(t, mode, False, work, name, payload(name, a.size))
            return True, client, mode, seen, "%s (%.2fs)" % (what, time.monotonic() - start)
        except Failure as e:
            return False, client, mode, (e.args[1] if len(e.args) > 1 else Seen()), e.args[0]
        except Exception as e:  # a crashed client is a failure, never a skip
            return False, client, mode, Seen(), "%s: %s" % (type(e).__name__, e)

    results = [one(i) for i in range(a.count)]
    if a.parallel > 0:
        with ThreadPoolExecutor(max_workers=a.parallel) as pool:
            results += list(pool.map(one, range(a.count, a.count + a.parallel)))
    owners, failures = {}, 0
    for i, (ok, client, mode, seen, what) in enumerate(results):
        ports = sorted({p for k, _, p in seen.items if k in ("PASV", "EPSV")})
        for p in ports:
            k = slice_owner(t, a.replicas, p) if a.replicas else None
            owners[k] = owners.get(k, 0) + 1
        failures += 0 if ok else 1
        print("%s %3d %-6s %-4s %s data ports %s" % ("PASS" if ok else "FAIL", i, client, mode, what,
                                                    ports), flush=True)
    print("sessions: %d passed, %d failed (%d sequential, %d in parallel)"
          % (len(results) - failures, failures, a.count, a.parallel))
    if a.replicas:
        print("data ports by the pod whose slice holds them: %s"
              % ", ".join("pod %s: %d" % (k, n) for k, n in sorted(owners.items(), key=lambda x: str(x[0]))))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


def cmd_hold(t, a):
    """One slow transfer that is still running when the caller's operation is over (the caller
    creates --release then); what it moved before and after is printed."""
    data = payload(a.name, a.size)
    path = "%s/%s" % (t.dir, a.name)
    chunk = max(4096, a.rate // 20)
    start = time.monotonic()
    released = None  # (bytes moved, seconds) when the release file appeared

    def pace(done):
        nonlocal released
        if released is not None:
            return
        if not os.path.isdir(os.path.dirname(os.path.abspath(a.release))):
            raise Failure("%s's directory is gone: the caller ended" % a.release)
        if os.path.exists(a.release):
            released = (done, time.monotonic() - start)
            return
        ahead = done / a.rate - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)  # rate limit, not synchronisation

    ftp, seen = ftplib_connect(t, "PASV", False)
    digest = hashlib.sha256()
    moved = 0
    try:
        ftp.voidcmd("TYPE I")
        if a.direction == "put":
            try:
                ftp.mkd(t.dir)
            except ftplib.error_perm:
                pass  # exists
        conn = ftp.transfercmd(("STOR " if a.direction == "put" else "RETR ") + path)
        print("%s %s: data connection open, %d B/s until %s exists" % (a.direction, path, a.rate, a.release),
              flush=True)
        with conn:
            if a.direction == "put":
                while moved < len(data):
                    pace(moved)
                    piece = data[moved:moved + chunk]
                    conn.sendall(piece)
                    digest.update(piece)
                    moved += len(piece)
            else:
                while True:
                    pace(moved)
                    piece = conn.recv(chunk)
                    if not piece:
                        break
                    digest.update(piece)
                    moved += len(piece)
        ftp.voidresp()  # 226: the server finished its side
        ftp.quit()
    finally:
        ftp.close()
    check_seen(t, seen, "PASV")
    took = time.monotonic() - start
    if digest.hexdigest() != sha(data) or moved != len(data):
        raise Failure("%s %s: %d B sha256 %s.., expected %d B sha256 %s.."
                      % (a.direction, path, moved, digest.hexdigest()[:12], len(data), sha(data)[:12]))
    if released is None:
        raise Failure("%s %s ended after %.1fs, before %s existed: it did not span the operation"
                      % (a.direction, path, took, a.release))
    print("%s %s: %d B sha256 %s.. %s; %d B in the %.1fs before the release, the rest in %.1fs"
          % (a.direction, path, moved, sha(data)[:12], "sent" if a.direction == "put" else "equal",
             released[0], released[1], took - released[1]))
    return 0


def recv_all(conn, got):
    """Appends what conn sends until its end of stream to got; returns got."""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            return got
        got += chunk


def cmd_hold_pasv(t, a):
    """PASV, print the pending port, wait for "go" on stdin, then connect and download --name."""
    import select
    ftp, seen = ftplib_connect(t, "PASV", False)
    try:
        ftp.voidcmd("TYPE I")
        host, port = ftp.makepasv()
        check_seen(t, seen, "PASV")
        print("pending %d" % port, flush=True)
        ready, _, _ = select.select([sys.stdin], [], [], 60)
        if not ready or sys.stdin.readline().strip() != "go":
            raise Failure("no go on stdin within 60 s")
        with socket.create_connection((host, port), timeout=TIMEOUT) as conn:
            ftp.sendcmd("RETR %s/%s" % (t.dir, a.name))
            got = recv_all(conn, bytearray())
        ftp.voidresp()
    except (OSError, EOFError, ftplib.Error) as e:
        raise Failure("the real client's transfer after the hijack: %s: %s" % (type(e).__name__, e))
    finally:
        ftp.close()
    data = payload(a.name, a.size)
    if bytes(got) != data:
        raise Failure("the real client got %d B sha256 %s.., expected %d B sha256 %s.."
                      % (len(got), sha(got)[:12], len(data), sha(data)[:12]))
    print("received %s/%s on port %d: %d B equal" % (t.dir, a.name, port, len(got)), flush=True)
    return 0


def cmd_hijack(t, a):
    """From another address: connect to --data-port, which another client reserved; must get no byte."""
    start = time.monotonic()
    try:
        conn = socket.create_connection((t.host, a.data_port), timeout=5)
    except ConnectionRefusedError:
        print("refused: connection to port %d reset at once" % a.data_port)
        return 0
    got = bytearray()
    with conn:
        conn.settimeout(a.hold)
        try:
            recv_all(conn, got)
        except socket.timeout:
            print("hijack: port %d still open after %.0f s (%d B): taken as a data connection"
                  % (a.data_port, a.hold, len(got)), file=sys.stderr)
            return 1
        except ConnectionResetError:
            pass
    if got:
        print("hijack: got %d B on port %d" % (len(got), a.data_port), file=sys.stderr)
        return 1
    print("refused: port %d closed by the server after %.3f s, 0 B" % (a.data_port, time.monotonic() - start))
    return 0


def cmd_slow(t, a):
    """--count sessions at once, session i on pod i % --replicas (it logs in again until PASV names a
    port of that pod's slice), even ones downloading, odd ones uploading --size bytes at --rate B/s.
    Prints "all N transferring" once every transfer runs, then one PASS/FAIL line per session: a
    download must arrive byte for byte, an upload is read back afterwards and compared."""
    import io
    import threading
    from concurrent.futures import ThreadPoolExecutor
    source = "slow-source.bin"
    store(t, source, payload(source, a.size))
    started = threading.Barrier(a.count + 1)

    def one(i):
        want, upload = i % a.replicas, i % 2 == 1
        name = "slow-up-%d-%d.bin" % (os.getpid(), i) if upload else source
        data = payload(name, a.size)
        try:
            for _ in range(40):
                ftp, _ = ftplib_connect(t, "PASV", False)
                ftp.voidcmd("TYPE I")
                host, port = ftp.makepasv()
                if slice_owner(t, a.replicas, port) == want:
                    break
                ftp.close()
            else:
                raise Failure("never landed on pod %d in 40 logins" % want)
        except (Failure, OSError, EOFError, ftplib.Error) as e:
            started.abort()
            return False, i, None, "before the transfer: %s: %s" % (type(e).__name__, e), name
        begin = time.monotonic()
        try:
            with socket.create_connection((host, port), timeout=TIMEOUT) as conn:
                ftp.sendcmd("%s %s/%s" % ("STOR" if upload else "RETR", t.dir, name))
                started.wait(60)
                got, done = bytearray(), 0
                while done < len(data):
                    if upload:
                        conn.sendall(data[done:done + 16384])
                        done = min(done + 16384, len(data))
                    else:
                        chunk = conn.recv(16384)
                        if not chunk:
                            break
                        got += chunk
                        done += len(chunk)
                    # the client's own rate limit, like curl --limit-rate
                    time.sleep(max(0.0, begin + done / a.rate - time.monotonic()))
                if not upload:
                    recv_all(conn, got)
            ftp.voidresp()
        except (OSError, EOFError, ftplib.Error, threading.BrokenBarrierError) as e:
            return False, i, want, "%s: %s after %.1fs" % (type(e).__name__, e, time.monotonic() - begin), name
        finally:
            try:
                ftp.quit()
            except (OSError, EOFError, ftplib.Error):
                pass  # the transfer is what counts; a draining pod may already close the session
            ftp.close()
        took = time.monotonic() - begin
        if not upload and bytes(got) != data:
            return False, i, want, "download: %d B sha256 %s.., expected %d B" % (len(got), sha(got)[:12], len(data)), name
        return True, i, want, "%s %d B in %.1fs" % ("upload" if upload else "download", len(data), took), name

    with ThreadPoolExecutor(max_workers=a.count) as pool:
        futures = [pool.submit(one, i) for i in range(a.count)]
        try:
            started.wait(120)
            print("all %d transferring" % a.count, flush=True)
        except threading.BrokenBarrierError:
            print("not every session got to its transfer", flush=True)
        results = [f.result() for f in futures]
    failures = 0
    for ok, i, pod, what, name in results:
        if ok and i % 2 == 1:
            buf = io.BytesIO()
            try:
                ftp, _ = ftplib_connect(t, "PASV", False)
                try:
                    ftp.retrbinary("RETR %s/%s" % (t.dir, name), buf.write)
                    ftp.quit()
                finally:
                    ftp.close()
                if buf.getvalue() == payload(name, a.size):
                    what += ", read back equal"
                else:
                    ok, what = False, "%s, read back %d B that differ" % (what, len(buf.getvalue()))
            except (OSError, EOFError, ftplib.Error) as e:
                ok, what = False, "%s, reading it back: %s: %s" % (what, type(e).__name__, e)
        failures += 0 if ok else 1
        print("%s %d pod %s %s" % ("PASS" if ok else "FAIL", i, pod, what), flush=True)
    return 1 if failures else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["matrix", "probe", "put", "verify", "control", "sessions", "hold", "hold-pasv",
                                        "hijack", "slow"])
    p.add_argument("--host", required=True, help="the load-balancer address (an IP)")
    p.add_argument("--port", type=int, default=21)
    p.add_argument("--user", required=True)
    p.add_argument("--password", default=os.environ.get("FTP_PASSWORD"), help="default: $FTP_PASSWORD")
    p.add_argument("--passive-range", default="30000-30009", help="min-max declared in the FtpServer")
    p.add_argument("--client-address", help="this namespace's own address, offered in PORT/EPRT")
    p.add_argument("--cafile", help="CA certificate that signed the server's TLS certificate")
    p.add_argument("--dir", default="e2e", help="remote directory for the test files")
    p.add_argument("--size", type=int, default=1 << 20, help="bytes per test file")
    p.add_argument("--name", default="persist.bin", help="file name for put/verify")
    p.add_argument("--expect-address", help="control: the pod IP the PASV reply should leak")
    p.add_argument("--count", type=int, default=60, help="sessions: how many one after the other")
    p.add_argument("--parallel", type=int, default=10, help="sessions: how many more at once")
    p.add_argument("--replicas", type=int, default=0, help="sessions, slow: the FtpServer's replicas")
    p.add_argument("--direction", choices=["get", "put"], default="get", help="hold: download or upload")
    p.add_argument("--rate", type=int, default=256 << 10,
                   help="hold: bytes per second until the release; slow: bytes per second per transfer")
    p.add_argument("--release", help="hold: the file whose existence ends the slow phase")
    p.add_argument("--data-port", type=int, help="hijack: the port another client's PASV reserved")
    p.add_argument("--hold", type=float, default=8, help="hijack: seconds to wait for the server to close")
    a = p.parse_args()
    if a.password is None:
        p.error("--password or FTP_PASSWORD is required")
    if a.command == "hold" and not a.release:
        p.error("hold needs --release")
    t = Target(a)
    socket.setdefaulttimeout(TIMEOUT)
    return {"matrix": cmd_matrix, "probe": cmd_probe, "put": cmd_put, "verify": cmd_verify,
            "control": cmd_control, "sessions": cmd_sessions, "hold": cmd_hold, "hold-pasv": cmd_hold_pasv,
            "hijack": cmd_hijack, "slow": cmd_slow}[a.command](t, a)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print("error: %s" % e.args[0], file=sys.stderr)
        sys.exit(1)
    except (OSError, EOFError, ftplib.Error) as e:
        print("error: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(1)
