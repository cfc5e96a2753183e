#!/usr/bin/env python3
# Hands listening sockets to a program the way VTest hands them to haproxy: each NAME gets a
# blocking socket listening on 127.0.0.1:0, its fd number in the environment variable NAME
# (for "bind fd@${NAME}"), and the program is exec'd with them inherited. Prints "NAME PORT"
# per socket before the exec, so a client can connect before the program has even started.
#   inherit-fds.py NAME [NAME ...] -- PROGRAM [ARGS ...]
import os
import socket
import sys

sep = sys.argv.index("--")
names, cmd = sys.argv[1:sep], sys.argv[sep + 1:]
keep = []
for name in names:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(100)
    s.set_inheritable(True)
    os.environ[name] = str(s.fileno())
    print(name, s.getsockname()[1], flush=True)
    keep.append(s)
os.execvp(cmd[0], cmd)
