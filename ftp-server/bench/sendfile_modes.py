"""How the kernel's cost of a download depends on the way sendfile() is called, without FTP or Java.

A child process sendfile()s the file into a loopback socket and this process recv_into()s it, in
rounds that rotate the modes: a blocking socket with 8 MiB per call (this server before), with
64 KiB per call (vsftpd), and a non-blocking socket waiting in epoll between calls of 64 KiB
(pyftpdlib) or 256 KiB (this server). Prints each mode's median MB/s and the sender's CPU seconds
per GiB, and the ratio of each mode to the first, round by round (both ran in that round).

usage: sendfile_modes.py <file> <rounds>
"""

import os
import resource
import select
import socket
import statistics
import sys
import time

MODES = {  # name: (blocking, bytes per call)
    "blocking_8m": (True, 8 << 20),
    "blocking_64k": (True, 64 << 10),
    "nonblocking_64k": (False, 64 << 10),
    "nonblocking_256k": (False, 256 << 10),
}


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def send(path, server, blocking, chunk):
    connection, _ = server.accept()
    with open(path, "rb") as file:
        size, offset = os.fstat(file.fileno()).st_size, 0
        connection.setblocking(blocking)
        room = None if blocking else select.epoll()
        if room:
            room.register(connection.fileno(), select.EPOLLOUT)
        while offset < size:
            try:
                offset += os.sendfile(connection.fileno(), file.fileno(), offset, min(chunk, size - offset))
            except BlockingIOError:
                room.poll()
    connection.setblocking(True)
    connection.shutdown(socket.SHUT_WR)
    connection.recv(1)  # the reader's close


def one_round(path, blocking, chunk, buffer):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    before = children_cpu()
    pid = os.fork()
    if pid == 0:
        try:
            send(path, server, blocking, chunk)
        finally:
            os._exit(0)
    reader = socket.create_connection(server.getsockname())
    server.close()
    start, got = time.perf_counter(), 0
    while n := reader.recv_into(buffer):
        got += n
    seconds = time.perf_counter() - start
    reader.close()
    os.waitpid(pid, 0)
    return got / 1e6 / seconds, (children_cpu() - before) / (got / (1 << 30))


def main():
    path, rounds = sys.argv[1], int(sys.argv[2])
    names = list(MODES)
    buffer = memoryview(bytearray(1 << 20))
    mbps = {name: [] for name in names}
    cpu = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            rate, cpu_per_gib = one_round(path, *MODES[name], buffer)
            mbps[name].append(rate)
            cpu[name].append(cpu_per_gib)
    for name in names:
        ratios = [a / b for a, b in zip(mbps[name], mbps[names[0]])]
        print(f"{name} mbps={statistics.median(mbps[name]):.0f} sender_cpu_s_per_gib={statistics.median(cpu[name]):.2f}"
              f" vs_{names[0]}={statistics.median(ratios):.2f} ahead={sum(x > 1 for x in ratios)}/{rounds}")


if __name__ == "__main__":
    main()
