"""api_librouteros.py PORT SSLPORT CAFILE ROSH DB: Debian's librouteros
against rosh --serve api and api-ssl: login, print, add, set, remove, a
query, and the same over TLS with the certificate the console signed."""
import ssl
import sys

from apiclient import Checks
import librouteros
from librouteros.query import Key, Or

port, sslport, cafile, rosh, db = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
T = Checks(rosh, db)
check, console = T.check, T.console


def exercise(api, tag):
    secrets = api.path("ppp", "secret")
    new = secrets.add(name=tag + "-a", password="pw", service="ovpn")
    check(new.startswith("*"), "add returns an id: %r" % new)
    secrets.add(name=tag + "-b", password="pw2")
    names = [s["name"] for s in secrets]
    check(tag + "-a" in names and tag + "-b" in names, "print lists what add made: %r" % names)
    item = [s for s in secrets if s["name"] == tag + "-a"][0]
    check(item[".id"] == new and item["service"] == "ovpn" and item["disabled"] is False,
          "print gives every property as text: %r" % item)
    secrets.update(**{".id": new, "comment": "set by librouteros", "disabled": True})
    check(console(":put [/ppp secret get %s-a comment]" % tag).strip() == "set by librouteros",
          "set reaches the console")
    name, service = Key("name"), Key("service")
    got = sorted(s["name"] for s in secrets.select(name).where(Or(name == tag + "-b", service == "ovpn")))
    check(got == sorted([tag + "-a", tag + "-b"]), "a query with or: %r" % got)
    got = [s["name"] for s in secrets.select(name, Key("disabled")).where(Key("disabled") == True)]
    check(got == [tag + "-a"], "a query on a flag: %r" % got)
    try:
        secrets.add(name=tag + "-a")
        check(False, "a second add of one name is refused")
    except librouteros.exceptions.TrapError as e:
        check("already have such name" in str(e), "the trap carries the console's error: %s" % e)
    secrets.remove(new)
    check(tag + "-a" not in [s["name"] for s in secrets], "remove")
    check(console(":put [:len [/ppp secret find name=%s-a]]" % tag).strip() == "0",
          "the console sees the removal")


api = librouteros.connect("127.0.0.1", "admin", "secret-pw", port=port)
exercise(api, "plain")
ident = list(api.path("system", "identity"))
check(ident and ident[0].get("name"), "a single menu prints: %r" % ident)
api.close()

ctx = ssl.create_default_context(cafile=cafile)
ctx.check_hostname = False
api = librouteros.connect("127.0.0.1", "admin", "secret-pw", port=sslport, ssl_wrapper=ctx.wrap_socket)
exercise(api, "tls")
api.close()

# a client that does not trust our CA must not get in
bare = ssl.create_default_context()
bare.check_hostname = False  # the chain alone decides
try:
    librouteros.connect("127.0.0.1", "admin", "secret-pw", port=sslport, ssl_wrapper=bare.wrap_socket)
    check(False, "a client without our CA is refused by its own TLS check")
except ssl.SSLError:
    pass
sys.exit(1 if T.fails else 0)
