"""Logins for bench.sh, against several servers: sessions connect+login at once, then one after another.

Usage: login_burst.py <sessions> <name>=<host>:<port>:<user>:<password>:<server-pid> ...

The burst is driven the way pyftpdlib's ftpbench drives it: every session from one thread, over
non-blocking sockets. A client with a thread per session (commons-net, which this bench used
before) spends about 0.2 s of a 2-core machine on its own 300 threads, and every server then looked
as fast as that client.

For each server in turn, first one burst as it comes (in bench.sh: after the transfers, with a login
path the JIT has not compiled yet); then WARMUP_LOGINS logins one after another for each (the same
for every server: a server that has been serving for a while); then ROUNDS rounds, each running, for
every server in a rotated order, one burst and as many logins one after another (connect, USER,
PASS, QUIT, wait for the close). Interleaved so that the machine's drift over seconds falls on every
server alike; medians are printed, every round's figure, and in how many rounds the first server was
ahead of each other one. A burst's time runs until every session is logged in (or has failed: no
greeting within BURST_TIMEOUT_S, as when a listen queue overflows). Also printed: the server's CPU
milliseconds per successful login over a burst (its process tree, from /proc, in clock ticks: 10 ms
over the whole burst), and its memory per idle session (proportional set size of the tree while the
first burst's sessions are held open, against before it), and how busy the client itself was during a
burst (its CPU time over the burst's time: near 1.0, the one-thread client set the pace, not the
server). One line per server, "<name> key=value ...", for bench.sh. All traffic stays on loopback.
"""
import os
import resource
import selectors
import socket
import statistics
import sys
import time

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
BURST_TIMEOUT_S = 10
WARMUP_LOGINS = 2000
ROUNDS = 5
SEQUENTIAL_TIMEOUT_S = 10


def process_tree(pid):
    """The server and the processes it forked (vsftpd forks per session)."""
    pids = [pid]
    for p in pids:
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as children:
                    pids.extend(int(child) for child in children.read().split())
        except OSError:
            pass  # ended while being read
    return pids


def cpu_seconds(pid):
    """utime + stime + cutime + cstime of the tree: reaped children count in their parent."""
    ticks = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks += sum(int(f) for f in fields[11:15])
        except OSError:
            pass
    return ticks / TICKS_PER_SECOND


def pss_kib(pid):
    kib = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as rollup:
                kib += sum(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except OSError:
            pass
    return kib


class Replies:
    """Splits a byte stream into FTP replies: a multi-line reply ends at the line "<code> "."""

    def __init__(self):
        self.pending = b""
        self.open_code = None

    def feed(self, data):
        """The codes of the replies completed by data."""
        self.pending += data
        codes = []
        while b"\r\n" in self.pending:
            line, self.pending = self.pending.split(b"\r\n", 1)
            code = line[:3]
            if self.open_code is None:
                if line[3:4] == b"-":
                    self.open_code = code
                else:
                    codes.append(code)
            elif code == self.open_code and line[3:4] == b" ":
                codes.append(code)
                self.open_code = None
        return codes


class Login:
    """One session's steps: greeting, USER, PASS (unless USER logged in already, as vsftpd's
    anonymous user without password)."""

    def __init__(self, user, password):
        self.user = user
        self.password = password
        self.replies = Replies()
        self.step = "greeting"

    def on_data(self, data):
        """What to send next; the step becomes "done" or "failed"."""
        to_send = b""
        for code in self.replies.feed(data):
            if self.step == "greeting" and code == b"220":
                self.step, to_send = "user", f"USER {self.user}\r\n".encode()
            elif self.step == "user" and code == b"331":
                self.step, to_send = "pass", f"PASS {self.password}\r\n".encode()
            elif self.step in ("user", "pass") and code == b"230":
                self.step = "done"
            else:
                self.step = "failed"
        return to_send


def burst(host, port, user, password, sessions, pid):
    selector = selectors.DefaultSelector()
    sockets = []
    finished = failed = 0
    cpu_before = cpu_seconds(pid)
    client_before = time.process_time()
    start = time.perf_counter()
    for _ in range(sessions):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex((host, port))
        selector.register(sock, selectors.EVENT_READ, Login(user, password))
        sockets.append(sock)
    deadline = start + BURST_TIMEOUT_S
    while finished < sessions and time.perf_counter() < deadline:
        for key, _ in selector.select(timeout=1):
            sock, login = key.fileobj, key.data
            try:
                data = sock.recv(4096)
                to_send = login.on_data(data) if data else b""
                if not data:
                    login.step = "failed"
                if to_send:
                    sock.send(to_send)
            except OSError:
                login.step = "failed"
            if login.step in ("done", "failed"):
                selector.unregister(sock)
                finished += 1
                failed += login.step == "failed"
    elapsed = time.perf_counter() - start
    client_busy = (time.process_time() - client_before) / elapsed
    cpu = cpu_seconds(pid) - cpu_before
    failed += sessions - finished  # still waiting at the deadline
    return sockets, elapsed, sessions - failed, failed, cpu, client_busy


def one_login(host, port, user, password):
    with socket.create_connection((host, port), timeout=SEQUENTIAL_TIMEOUT_S) as sock:
        login = Login(user, password)
        while login.step not in ("done", "failed"):
            data = sock.recv(4096)
            if not data:
                raise OSError("closed during login")
            to_send = login.on_data(data)
            if to_send:
                sock.sendall(to_send)
        if login.step == "failed":
            raise OSError("login refused")
        sock.sendall(b"QUIT\r\n")
        while sock.recv(4096):
            pass  # the 221 reply, then the server's close


def close_all(sockets):
    for sock in sockets:
        sock.close()
    time.sleep(1)  # the server closes its sessions


def sequential(host, port, user, password, count):
    start = time.perf_counter()
    for _ in range(count):
        one_login(host, port, user, password)
    return time.perf_counter() - start


class Server:
    """One server under test and what was measured of it."""

    def __init__(self, spec):
        # name=host:port:user:password:pid
        self.name, rest = spec.split("=", 1)
        host, port, self.user, self.password, pid = rest.split(":")
        self.address = (host, int(port))
        self.pid = int(pid)
        self.bursts = []  # (seconds, logged in, failed, CPU seconds, the client's share of a core)
        self.sequentials = []

    def burst(self, sessions):
        return burst(*self.address, self.user, self.password, sessions, self.pid)

    def sequential(self, count):
        return sequential(*self.address, self.user, self.password, count)


def main():
    sessions = int(sys.argv[1])
    servers = [Server(spec) for spec in sys.argv[2:]]
    # a socket per session held open: the default soft limit of 1024 descriptors is too few for more
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else hard
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    first = {}
    for server in servers:
        idle_kib = pss_kib(server.pid)
        sockets, first_s, held, first_failed, first_cpu, first_client_busy = server.burst(sessions)
        time.sleep(1)
        # memory from the first burst: later ones reuse what it grew
        per_session = (pss_kib(server.pid) - idle_kib) / held if held else 0.0
        close_all(sockets)
        first[server.name] = (first_s, first_failed, first_cpu * 1000 / max(held, 1), per_session, first_client_busy)
    for server in servers:
        server.sequential(WARMUP_LOGINS)
    # The machine's speed drifts over seconds (on this VM the same 2000 logins take 0.9 s in one run and 3 s
    # in the next): rounds interleave the servers, each round in another order, and medians are compared.
    for round_number in range(ROUNDS):
        shift = round_number % len(servers)
        for server in servers[shift:] + servers[:shift]:
            sockets, *measured = server.burst(sessions)
            close_all(sockets)
            server.bursts.append(tuple(measured))
            server.sequentials.append(server.sequential(sessions))
    for server in servers:
        first_s, first_failed, first_cpu_ms, per_session, first_client_busy = first[server.name]
        burst_s = statistics.median(b[0] for b in server.bursts)
        cpu_ms = statistics.median(b[3] * 1000 / max(b[1], 1) for b in server.bursts)
        print(f"{server.name} first_burst_s={first_s:.3f} first_failed={first_failed}"
              f" first_cpu_ms_per_login={first_cpu_ms:.2f} kib_per_session={per_session:.1f}"
              f" burst_s={burst_s:.3f} failed={min(b[2] for b in server.bursts)}"
              f" cpu_ms_per_login={cpu_ms:.2f} sequential_s={statistics.median(server.sequentials):.3f}"
              f" first_client_busy={first_client_busy:.2f}"
              f" client_busy={statistics.median(b[4] for b in server.bursts):.2f}"
              f" burst_rounds={','.join(f'{b[0]:.3f}' for b in server.bursts)}"
              f" sequential_rounds={','.join(f'{s:.3f}' for s in server.sequentials)}")
    # how often the first server (this one) was ahead of each other within the same round
    ours = servers[0]
    for other in servers[1:]:
        bursts_ahead = sum(a[0] < b[0] for a, b in zip(ours.bursts, other.bursts))
        sequential_ahead = sum(a < b for a, b in zip(ours.sequentials, other.sequentials))
        print(f"{ours.name}_vs_{other.name} bursts_ahead={bursts_ahead} sequential_ahead={sequential_ahead}"
              f" rounds={ROUNDS}")


if __name__ == "__main__":
    main()
