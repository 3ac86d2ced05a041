"""pyftpdlib's stock asynchronous server for bench.sh: one user with a home, on loopback.

Usage: pyftpdlib_server.py <port> <user> <password> <home> <passive-min> <passive-max>
"""
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

port, user, password, home, passive_min, passive_max = sys.argv[1:]
authorizer = DummyAuthorizer()
authorizer.add_user(user, password, home, perm="elradfmw")
FTPHandler.authorizer = authorizer
FTPHandler.passive_ports = range(int(passive_min), int(passive_max) + 1)
FTPHandler.banner = "pyftpdlib"
server = FTPServer(("127.0.0.1", int(port)), FTPHandler)
server.max_cons = 2000
server.max_cons_per_ip = 2000
server.serve_forever()
