"""apiclient.py: a small RouterOS API client on the standard library, for
the tests that must send what real clients never would."""
import socket
import subprocess
import struct


def enc_len(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x4000:
        return struct.pack(">H", n | 0x8000)
    if n < 0x200000:
        return struct.pack(">I", n | 0xC00000)[1:]
    if n < 0x10000000:
        return struct.pack(">I", n | 0xE0000000)
    return b"\xf0" + struct.pack(">I", n)


def sentence(*words):
    out = b""
    for w in words:
        w = w.encode() if isinstance(w, str) else w
        out += enc_len(len(w)) + w
    return out + b"\x00"


class Api:
    def __init__(self, port, timeout=10):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def send(self, *words):
        self.s.sendall(sentence(*words))

    def raw(self, data):
        self.s.sendall(data)

    def _need(self, n):
        while len(self.buf) < n:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("closed")
            self.buf += d

    def word(self):
        self._need(1)
        b = self.buf[0]
        if b < 0x80:
            k, v = 1, b
        elif b < 0xC0:
            k, v = 2, b & 0x3F
        elif b < 0xE0:
            k, v = 3, b & 0x1F
        elif b < 0xF0:
            k, v = 4, b & 0x0F
        else:
            k, v = 5, 0
        self._need(k)
        for i in range(1, k):
            v = (v << 8) | self.buf[i]
        self._need(k + v)
        w = self.buf[k:k + v]
        self.buf = self.buf[k + v:]
        return w.decode(errors="replace")

    def read(self):
        """One reply sentence as (type, {attr: value})."""
        words = []
        while True:
            w = self.word()
            if w == "":
                break
            words.append(w)
        attrs = {}
        for w in words[1:]:
            if w.startswith("="):
                k, _, v = w[1:].partition("=")
                attrs[k] = v
            elif "=" in w:
                k, _, v = w.partition("=")
                attrs[k] = v
        return words[0], attrs

    def talk(self, *words):
        """Send a command; every reply up to !done, !trap or !fatal."""
        self.send(*words)
        out = []
        while True:
            t, a = self.read()
            out.append((t, a))
            if t in ("!done", "!fatal"):
                return out

    def login(self, name="admin", password=""):
        return self.talk("/login", "=name=" + name, "=password=" + password)

    def closed(self, wait=5):
        """Whether the server closed the connection (after any replies)."""
        self.s.settimeout(wait)
        try:
            while True:
                d = self.s.recv(65536)
                if not d:
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.s.close()


class Checks:
    """Failures counted across a test script, and the console beside it."""

    def __init__(self, rosh, db):
        self.rosh, self.db, self.fails = rosh, db, 0

    def check(self, cond, what):
        if not cond:
            self.fails += 1
            print("FAIL:", what)

    def console(self, cmd):
        return subprocess.run([self.rosh, "--db", self.db, "-c", cmd], capture_output=True,
                              text=True, timeout=60).stdout
