"""The relay's ceiling on this machine, without FTP and without Java (bench-relay.sh).

The same chain as a relayed download, made of nothing but the kernel's own calls: a sender process
sendfile()s the file into a loopback socket, a relay process splice()s it through a pipe into a
second socket, and this process recv_into()s it. Direct rounds leave the relay out. Rounds
alternate; the best of each is kept. No relay can do better than this chain's relayed/direct on
the same cores.

usage: splice_chain.py <file> <rounds> <sender address> <relay address> <first port>
Last line printed: chain_direct_mbps=<x> chain_relayed_mbps=<y> chain_ratio=<y/x>
"""

import fcntl
import os
import socket
import sys
import time

PIPE_BYTES = 1 << 20
F_SETPIPE_SZ = 1031


def listen(address, port):
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((address, port))
    server.listen(1)
    return server


def send_file(path, server):
    connection, _ = server.accept()
    with open(path, "rb") as file:
        size, offset = os.fstat(file.fileno()).st_size, 0
        while offset < size:
            offset += os.sendfile(connection.fileno(), file.fileno(), offset, size - offset)
    connection.shutdown(socket.SHUT_WR)
    connection.recv(1)  # the reader's close


def relay(server, upstream):
    connection, _ = server.accept()
    source = socket.create_connection(upstream)
    pipe_out, pipe_in = os.pipe()
    fcntl.fcntl(pipe_in, F_SETPIPE_SZ, PIPE_BYTES)
    while (moved := os.splice(source.fileno(), pipe_in, PIPE_BYTES)) > 0:
        while moved:
            moved -= os.splice(pipe_out, connection.fileno(), moved)
    connection.shutdown(socket.SHUT_WR)
    connection.recv(1)


def fork(work, *args):
    """Runs work(*args) in a child process; the caller's sockets are open before it returns."""
    pid = os.fork()
    if pid == 0:
        try:
            work(*args)
        finally:
            os._exit(0)
    return pid


def one_round(path, relayed, sender_address, relay_address, port):
    sender = listen(sender_address, port)
    children = [fork(send_file, path, sender)]
    target = (sender_address, port)
    if relayed:
        relay_server = listen(relay_address, port + 1)
        children.append(fork(relay, relay_server, target))
        target = (relay_address, port + 1)
    buffer, received = bytearray(1 << 20), 0
    start = time.perf_counter()
    with socket.create_connection(target) as reader:
        while (read := reader.recv_into(buffer)) > 0:
            received += read
    seconds = time.perf_counter() - start
    for pid in children:
        os.waitpid(pid, 0)
    sender.close()
    if relayed:
        relay_server.close()
    if received != os.path.getsize(path):
        raise SystemExit(f"chain: received {received} of {os.path.getsize(path)} bytes")
    return received / seconds / 1e6


def main():
    path, rounds, sender_address, relay_address, port = sys.argv[1:]
    best = {False: 0.0, True: 0.0}
    for number in range(int(rounds)):
        for relayed in (False, True) if number % 2 == 0 else (True, False):
            mbps = one_round(path, relayed, sender_address, relay_address, int(port) + 2 * number)
            print(f"  chain {'relayed' if relayed else 'direct '}: {mbps:.0f} MB/s", flush=True)
            best[relayed] = max(best[relayed], mbps)
    print(f"chain_direct_mbps={best[False]:.0f} chain_relayed_mbps={best[True]:.0f} "
          f"chain_ratio={best[True] / best[False]:.2f}")


if __name__ == "__main__":
    main()
