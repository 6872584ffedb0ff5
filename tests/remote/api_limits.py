"""api_limits.py PORT MODE: the service's own limits.
idle: a logged-in session that sends nothing is closed with !fatal.
address: a client outside /ip service address is dropped without a word.
sessions: with max-sessions=1 a second connection is dropped while the
first works on."""
import sys

from apiclient import Api

port, mode = int(sys.argv[1]), sys.argv[2]
if mode == "idle":
    c = Api(port, timeout=30)
    if c.login("admin", "secret-pw")[0][0] != "!done":
        sys.exit("FAIL: could not log in")
    try:
        t, a = c.read()
    except EOFError:
        t = None
    if t != "!fatal" or not c.closed(5):
        sys.exit("FAIL: an idle session was not closed with !fatal: %r" % t)
elif mode == "address":
    c = Api(port)
    c.send("/login", "=name=admin", "=password=secret-pw")
    if not c.closed(5) or c.buf:
        sys.exit("FAIL: a client outside address= was served")
elif mode == "sessions":
    first = Api(port)
    if first.login("admin", "secret-pw")[0][0] != "!done":
        sys.exit("FAIL: the first session could not log in")
    second = Api(port)
    second.send("/login", "=name=admin", "=password=secret-pw")
    if not second.closed(5):
        sys.exit("FAIL: a session beyond max-sessions was served")
    if first.talk("/system/identity/print")[-1][0] != "!done":
        sys.exit("FAIL: the first session stopped working")
    # the server is stopped now (SIGTERM): the session is told and closed
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        t, a = first.read()
    except EOFError:
        t = None
    if t != "!fatal" or not first.closed(5):
        sys.exit("FAIL: SIGTERM did not end the session with !fatal: %r" % t)
