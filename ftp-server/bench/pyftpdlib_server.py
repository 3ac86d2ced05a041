"""pyftpdlib's stock asynchronous server for bench.sh: one user with a home, on loopback.

Its connection limits and listen backlog are raised to the bench's session limit, as for the
other servers: with its default backlog of 100, 300 clients at once overflow the listen queue in
some runs, and the refused SYNs cost it a second each.

Usage: pyftpdlib_server.py <port> <user> <password> <home> <passive-min> <passive-max> <sessions>
"""
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

port, user, password, home, passive_min, passive_max, sessions = sys.argv[1:]
authorizer = DummyAuthorizer()
authorizer.add_user(user, password, home, perm="elradfmw")
FTPHandler.authorizer = authorizer
FTPHandler.passive_ports = range(int(passive_min), int(passive_max) + 1)
FTPHandler.banner = "pyftpdlib"
server = FTPServer(("127.0.0.1", int(port)), FTPHandler, backlog=int(sessions))
server.max_cons = int(sessions)
server.max_cons_per_ip = int(sessions)
server.serve_forever()
