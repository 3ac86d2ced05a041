"""The 1 GiB download again, with Python's ftplib as the client (bench-relay.sh).

The commons-net client of FtpLoad.java reads through Java's socket streams: a copy into a direct
buffer and one into the heap per read, and a poll whenever a read finds nothing; its CPU per GiB
can grow on the relayed path (0.44 against 0.73 s in one run), and on two cores that client's
CPU is taken from the servers. This client logs in with ftplib and reads the data connection with
recv_into() into one 1 MiB buffer, like the chain's reader in splice_chain.py: its cost is about
the same on both paths (0.2-0.3 s per GiB), so whatever gap this ratio still shows is not
the client's doing. Rounds alternate direct and relayed; the best of each is kept.

usage: ftplib_download.py <control host> <port> <user> <password> <remote file> <direct data host>
                          <relayed data host> <rounds>
Last line printed: ftplib_direct_mbps=<x> ftplib_relayed_mbps=<y> ftplib_ratio=<y/x>
"""

import ftplib
import socket
import sys
import time


class DataHostFtp(ftplib.FTP):
    """Connects each passive data connection to data_host, whatever the PASV reply names."""

    data_host = None

    def makepasv(self):
        _, port = ftplib.parse227(self.sendcmd("PASV"))
        return self.data_host, port


def download(control, port, user, password, remote, data_host):
    """MB/s of one download, and this process's CPU seconds per GiB during it."""
    with DataHostFtp() as ftp:
        ftp.connect(control, port)
        ftp.login(user, password)
        ftp.voidcmd("TYPE I")
        ftp.data_host = data_host
        buffer, received = bytearray(1 << 20), 0
        cpu, start = time.process_time(), time.perf_counter()
        with ftp.transfercmd("RETR " + remote) as data:
            while (read := data.recv_into(buffer)) > 0:
                received += read
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        ftp.voidresp()
        ftp.quit()
    return received / seconds / 1e6, cpu / (received / 2**30)


def main():
    control, port, user, password, remote, direct_host, relayed_host, rounds = sys.argv[1:]
    best = {False: 0.0, True: 0.0}
    for number in range(int(rounds)):
        for relayed in (False, True) if number % 2 == 0 else (True, False):
            host = relayed_host if relayed else direct_host
            mbps, cpu = download(control, int(port), user, password, remote, host)
            print(f"  ftplib {'relayed' if relayed else 'direct '}: download_mbps={mbps:.0f} "
                  f"client_cpu_s_per_gib={cpu:.2f}", flush=True)
            best[relayed] = max(best[relayed], mbps)
    print(f"ftplib_direct_mbps={best[False]:.0f} ftplib_relayed_mbps={best[True]:.0f} "
          f"ftplib_ratio={best[True] / best[False]:.2f}")


if __name__ == "__main__":
    socket.setdefaulttimeout(120)
    main()
