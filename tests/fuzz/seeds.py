#!/usr/bin/env python3
"""seeds.py: (re)write the generated seed corpora of the fuzz targets,
tests/fuzz/NAME_seeds/, from the project's own fixtures (tests/ovpn/,
tests/ovpn_proto/) and from packets built here by the wire formats
(/work/shared/reference/ovpn-wire.md, RFC 2865 for RADIUS). Certificates,
the CRL and the PKCS#12 are made by openssl in a temporary folder. Seeds
written by hand (console_seeds/) and regression seeds (regress-*, inputs
that once crashed, leaked or tripped a sanitizer) are left alone; run from anywhere:
    python3 tests/fuzz/seeds.py
"""
import os
import shutil
import struct
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))


def folder(name):
    """The seeds folder, emptied of what this script wrote before; the
    regression seeds (regress-*), each an input that once failed, stay."""
    d = os.path.join(HERE, name + "_seeds")
    os.makedirs(d, exist_ok=True)
    for n in os.listdir(d):
        if not n.startswith("regress-"):
            os.remove(os.path.join(d, n))
    return d


def put(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def read(*parts):
    with open(os.path.join(TOP, *parts), "rb") as f:
        return f.read()


# ---- ovpn_parse: profiles with their files after a NUL (run.sh adds every
# fixture profile of tests/ovpn/ and tests/ovpn/bad/ to these)
def ovpn_parse():
    d = folder("ovpn_parse")
    ca = read("tests/ovpn_proto/ca.crt")
    ta = read("tests/ovpn_proto/ta.key")
    put(d, "file-ca", b"client\ndev tun\nremote 192.0.2.1 1194\nca ca.crt\n\0" + ca)
    put(d, "file-ta", b"client\nremote 192.0.2.1\ntls-auth keys/ta.key 1\n"
        b"<ca>\n" + ca + b"</ca>\n\0" + ta)
    put(d, "file-userpass", b"client\nremote 192.0.2.1\nauth-user-pass creds.txt\n"
        b"<ca>\n" + ca + b"</ca>\n\0alice\nsecret\n")
    put(d, "file-crl", b"client\nremote 192.0.2.1\ncrl-verify crl.pem\n"
        b"<ca>\n" + ca + b"</ca>\n\0" + ca)
    put(d, "directives", "client\ndev tun\nproto tcp-client\nremote 192.0.2.1 443\n"
        "remote-random\nroute 10.9.0.0 255.255.0.0\nroute-ipv6 2001:db8::/32\n"
        "pull-filter ignore \"route \"\ndhcp-option DNS 192.0.2.53\nmssfix 1400\n"
        "keepalive 10 60\nreneg-sec 0\nhttp-proxy proxy.example.net 3128\n"
        "compress lz4-v2\ntun-mtu 1400\nverb 3\n<ca>\n" + ca.decode() + "</ca>\n")


# ---- cert_import: PEM and DER certificates, keys, a PKCS#12 ("x"), a CRL
def cert_import():
    d = folder("cert_import")
    for n in ("ca.crt", "client.crt", "client.key", "server.key", "stranger.crt"):
        put(d, n, read("tests/ovpn_proto", n))
    put(d, "bundle.pem", read("tests/ovpn_proto/client.crt") + read("tests/ovpn_proto/client.key"))
    with tempfile.TemporaryDirectory() as t:
        def ossl(*args):
            subprocess.run(["openssl", *args], cwd=t, check=True, capture_output=True)
        ossl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=seed-ca", "-days", "3650")
        ossl("x509", "-in", "ca.crt", "-outform", "der", "-out", "ca.der")
        ossl("pkey", "-in", "ca.key", "-outform", "der", "-out", "key.der")
        ossl("pkcs12", "-export", "-in", "ca.crt", "-inkey", "ca.key", "-passout", "pass:x",
             "-out", "ca.p12")
        with open(os.path.join(t, "ca.cnf"), "w") as f:
            f.write("[ca]\ndefault_ca=c\n[c]\ndatabase=index.txt\ndefault_md=sha256\n"
                    "crlnumber=crlnumber\ndefault_crl_days=30\n")
        open(os.path.join(t, "index.txt"), "w").close()
        with open(os.path.join(t, "crlnumber"), "w") as f:
            f.write("01\n")
        ossl("ca", "-config", "ca.cnf", "-gencrl", "-keyfile", "ca.key", "-cert", "ca.crt",
             "-out", "crl.pem")
        ossl("crl", "-in", "crl.pem", "-outform", "der", "-out", "crl.der")
        for n in ("ca.der", "key.der", "ca.p12", "crl.pem", "crl.der"):
            shutil.copy(os.path.join(t, n), os.path.join(d, n))


# ---- dc_open: payloads as the data channel carries them
def ip4(payload, proto=17):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0,
                      bytes([10, 8, 0, 2]), bytes([10, 8, 0, 1]))
    return hdr + payload


PING = bytes([0x2a, 0x18, 0x7b, 0xf3, 0x64, 0x1e, 0xb4, 0xcb,
              0x07, 0xed, 0x2d, 0x0a, 0x98, 0x1f, 0xc7, 0x48])
OCC = bytes([0x28, 0x7f, 0x34, 0x6b, 0xd4, 0xef, 0x7a, 0x81,
             0x2d, 0x56, 0xb8, 0xd3, 0xaf, 0xc5, 0x45, 0x9c])


def dc_open():
    d = folder("dc_open")
    put(d, "ping", b"\x00" + PING)
    put(d, "gcm-udp", b"\x48\x00\x00\x01" + struct.pack("!I", 1) + bytes(range(64)))
    put(d, "ip-packet", b"\x81" + ip4(b"\x04\xd2\x00\x35\x00\x10\x00\x00" + b"q" * 8))
    put(d, "replay", b"".join(struct.pack("!IB", i, i % 8) for i in (1, 2, 5, 3, 3, 70, 4, 1000)))
    put(d, "large", b"\x05" + ip4(bytes(1372), 6))


# ---- ctl_decode: the first byte picks the decoder (see ctl_decode_fuzz.c)
def ctl(op, sid, acks=(), rsid=None, pid=0, payload=b""):
    p = bytes([op << 3]) + sid + bytes([len(acks)])
    p += b"".join(struct.pack("!I", a) for a in acks)
    if acks:
        p += rsid
    if op != 5:			# P_ACK_V1 has no packet id
        p += struct.pack("!I", pid)
    return p + payload


def ctl_decode():
    d = folder("ctl_decode")
    s1, s2 = bytes(range(1, 9)), bytes(range(9, 17))
    reset = ctl(7, s1)
    reset_srv = ctl(8, s2, (0,), s1)
    ack = ctl(5, s1, (0, 1), s2)
    data = ctl(4, s1, (0,), s2, 1, b"\x16\x03\x01\x00\x05hello")
    for mode, name, body in ((0, "reset", reset), (0, "reset-server", reset_srv),
                             (0, "ack", ack), (0, "control", data),
                             (1, "auth-reset", reset), (2, "crypt-reset", reset),
                             (1, "auth-control", data)):
        put(d, "%d-%s" % (mode, name), bytes([mode]) + body)
    opts = b"V4,dev-type tun,link-mtu 1559,tun-mtu 1500,proto UDPv4,cipher AES-256-GCM," \
           b"auth [null-digest],keysize 256,key-method 2,tls-client"
    info = b"IV_VER=2.6.3\nIV_PROTO=990\nIV_CIPHERS=AES-256-GCM\n\0"
    tail = struct.pack("!H", len(opts) + 1) + opts + b"\0" + b"\x00\x06alice\0\x00\x07secret\0" + \
        struct.pack("!H", len(info)) + info
    head = b"\x00\x00\x00\x00\x02"
    # the first byte of the record's input says who sent it (bit 0: the client)
    put(d, "3-km2-from-client", b"\x03\x01" + head + bytes(48) + bytes(64) + tail)
    put(d, "3-km2-from-server", b"\x03\x00" + head + bytes(64) + tail)
    put(d, "4-push", b"\x04PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,ping 10,"
        b"ping-restart 60,ifconfig 10.8.0.2 255.255.255.0,peer-id 0,cipher AES-256-GCM,"
        b"protocol-flags cc-exit tls-ekm dyn-tls-crypt,push-continuation 2\0"
        b"PUSH_REPLY,route 10.9.0.0 255.255.0.0,comp-lzo no,push-continuation 1\0")
    put(d, "5-peerinfo", b"\x05IV_VER=2.6.3\nIV_PLAT=linux\nIV_PROTO=990\n"
        b"IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\nIV_MTU=1600\n" + opts)
    put(d, "6-frame-v1", b"\x06\x15\xfa" + ip4(b"x" * 12))
    put(d, "6-frame-v2", b"\x06\xfb\x50\x00" + ip4(b"y" * 12))
    pkts = [reset, ack, data]
    put(d, "7-session-client", b"\x07\x00" + b"".join(struct.pack("!H", len(p)) + p
                                                    for p in [reset_srv] + pkts[1:]))
    put(d, "7-session-server", b"\x07\x01" + b"".join(struct.pack("!H", len(p)) + p for p in pkts))


# ---- api_word: RouterOS API sentences, length-prefixed words
def word(w):
    w = w.encode() if isinstance(w, str) else w
    n = len(w)
    if n < 0x80:
        return bytes([n]) + w
    if n < 0x4000:
        return struct.pack("!H", n | 0x8000) + w
    return struct.pack("!I", n | 0xC0000000)[1:] + w


def sentence(*ws):
    return b"".join(word(w) for w in ws) + b"\0"


def api_word():
    d = folder("api_word")
    put(d, "login", sentence("/login", "=name=admin", "=password="))
    put(d, "print-query", sentence("/ppp/secret/print", "?name=u1", "?disabled=no", "?#|",
                                   "=.proplist=name,profile", ".tag=7"))
    put(d, "add", sentence("/ip/pool/add", "=name=p1", "=ranges=10.0.0.2-10.0.0.9") +
        sentence("/cancel", "=tag=7"))
    put(d, "long-word", sentence("/system/script/add", "=name=s", "=source=" + ":put 1;" * 40))
    put(d, "empty", b"\0\0")


# ---- rest_req: METHOD PATH?ARGS, a newline, the body
def rest_req():
    d = folder("rest_req")
    for name, req in (
            ("get-list", "GET /rest/ppp/secret\n"),
            ("get-item", "GET /rest/ppp/secret/u1\n"),
            ("get-id", "GET /rest/ip/pool/*1\n"),
            ("get-args", "GET /rest/ppp/secret?disabled=yes&.proplist=name,comment\n"),
            ("put", 'PUT /rest/ppp/secret\n{"name":"u3","password":"z","profile":"prof"}'),
            ("patch", 'PATCH /rest/ppp/secret/u1\n{"comment":"changed","disabled":"true"}'),
            ("delete", "DELETE /rest/ppp/secret/u2\n"),
            ("print", 'POST /rest/ppp/secret/print\n{".proplist":["name","profile"],'
                      '".query":["name=u1","name=u2","#|"]}'),
            ("command", 'POST /rest/ip/pool/add\n{"name":"p2","ranges":["10.1.0.1-10.1.0.5",'
                        '"10.2.0.1"]}'),
            ("remove", 'POST /rest/ppp/secret/remove\n{".id":"u2"}'),
            ("bad-json", 'PUT /rest/ppp/secret\n{"name":"x",'),
            ("nested", 'PATCH /rest/ppp/secret/u1\n{"comment":{"a":[1,2,{"b":null}]}}'),
            ("code-in-value", 'PUT /rest/ppp/secret\n{"name":"a;/ppp secret remove [find]",'
                              '"password":"$x[:put 1]"}'),
            ("root", "GET /rest\n")):
        put(d, name, req)


# ---- comp_frame: control byte, damage place and xor, then the payload
def comp_frame():
    d = folder("comp_frame")
    pkt = ip4(b"GET / HTTP/1.1\r\nHost: example\r\n\r\n" + b"a" * 200, 6)
    for ctl_byte, name in ((0xfd, "v1-lzo"), (0xfa, "v1-swap-lz4"), (0xfb, "v2-lz4"),
                           (0x01, "v1-small-cap"), (0x00, "none")):
        put(d, name, bytes([ctl_byte, 0x40, 0x01]) + pkt)
    put(d, "v2-escape", bytes([0xff, 0x00, 0xff]) + b"\x50\x00" + pkt)
    put(d, "v1-raw-lzo", bytes([0xf5, 0x10, 0x20]) + b"\x66\x11\x00\x00")


# ---- radius_reply: the RADIUS client's replies (RFC 2865) and the requests
# of /radius incoming (RFC 5176)
def attr(t, v):
    return bytes([t, len(v) + 2]) + v


def radius(code, ident, attrs):
    body = b"".join(attrs)
    return struct.pack("!BBH", code, ident, 20 + len(body)) + bytes(range(16)) + body


def radius_reply():
    d = folder("radius_reply")
    msg_auth = attr(80, bytes(16))
    put(d, "accept", radius(2, 1, [attr(6, b"\x00\x00\x00\x02"), attr(8, bytes([10, 8, 0, 9])),
                                   attr(27, b"\x00\x00\x0e\x10"), attr(25, b"class-1"),
                                   attr(26, b"\x00\x00\x3a\x8c" + attr(8, b"rate-limit 1M/2M")),
                                   msg_auth]))
    put(d, "reject", radius(3, 2, [attr(18, b"bad password"), msg_auth]))
    put(d, "challenge", radius(11, 3, [attr(24, b"state-1"), attr(18, b"enter code")]))
    put(d, "acct-response", radius(5, 4, []))
    put(d, "framed-route", radius(2, 5, [attr(22, b"192.168.50.0/24 10.8.0.50 1"), attr(88, b"pool1")]))
    put(d, "coa-request", radius(43, 6, [attr(1, b"alice"), attr(44, b"0000002a"),
                                         attr(26, b"\x00\x00\x3a\x8c" + attr(8, b"2M/4M"))]))
    put(d, "disconnect-request", radius(40, 7, [attr(8, bytes([10, 8, 0, 9]))]))


def main():
    for f in (ovpn_parse, cert_import, dc_open, ctl_decode, api_word, rest_req, comp_frame,
              radius_reply):
        f()


if __name__ == "__main__":
    main()
