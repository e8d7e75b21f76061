"""
An NTLM-protected HTTP/1.1 server for the NTLM interop tests, built on the ntlm-auth library
(Debian python3-ntlm-auth): NTOWFv2 comes from ntlm_auth.compute_hash, the challenge/response
checks follow MS-NLMP 3.3.2 (NTProofStr = HMAC_MD5(NTOWFv2, ServerChallenge + blob)).
NTLM authenticates the connection: after a good AUTHENTICATE message every later request on that
connection is served without a header, as IIS does. Every response carries x-conn (connection
number) and x-total (requests seen by the server), so the test can count round trips.

usage: python3 ntlm-server.py USER PASSWORD DOMAIN   (prints the port, then serves)
needs MD4: run with OPENSSL_CONF activating the OpenSSL legacy provider.
"""
import base64, hmac, hashlib, json, os, struct, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ntlm_auth.compute_hash import _ntowfv2

USER, PASSWORD, DOMAIN = sys.argv[1], sys.argv[2], sys.argv[3]
lock = threading.Lock()
state = {"total": 0, "conns": 0}

NEGOTIATE_UNICODE = 0x00000001
REQUEST_TARGET = 0x00000004
NEGOTIATE_NTLM = 0x00000200
TARGET_TYPE_DOMAIN = 0x00010000
NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x00080000
NEGOTIATE_TARGET_INFO = 0x00800000


def av_pairs():
    def av(i, s):
        b = s.encode("utf-16-le")
        return struct.pack("<HH", i, len(b)) + b
    return av(2, DOMAIN) + av(1, "SERVER") + struct.pack("<HH", 0, 0)


def challenge_message(server_challenge):
    target = DOMAIN.encode("utf-16-le")
    info = av_pairs()
    flags = NEGOTIATE_UNICODE | REQUEST_TARGET | NEGOTIATE_NTLM | TARGET_TYPE_DOMAIN | NEGOTIATE_EXTENDED_SESSIONSECURITY | NEGOTIATE_TARGET_INFO
    offset = 48
    msg = b"NTLMSSP\0" + struct.pack("<I", 2)
    msg += struct.pack("<HHI", len(target), len(target), offset)
    msg += struct.pack("<I", flags) + server_challenge + b"\0" * 8
    msg += struct.pack("<HHI", len(info), len(info), offset + len(target))
    return msg + target + info


def field(msg, pos):
    length, _, off = struct.unpack_from("<HHI", msg, pos)
    return msg[off:off + length]


def verify(msg, server_challenge):
    if msg[:8] != b"NTLMSSP\0" or struct.unpack_from("<I", msg, 8)[0] != 3:
        return None
    nt = field(msg, 20)
    domain = field(msg, 28).decode("utf-16-le")
    user = field(msg, 36).decode("utf-16-le")
    if len(nt) <= 24 or user.upper() != USER.upper():
        return None  # NTLMv1 responses are refused: only NTLMv2
    key = _ntowfv2(user, PASSWORD, domain)
    proof = hmac.new(key, server_challenge + nt[16:], hashlib.md5).digest()
    return user if hmac.compare_digest(proof, nt[:16]) else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with lock:
            state["conns"] += 1
            self.conn_id = state["conns"]
        self.user = None
        self.server_challenge = None

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        with lock:
            total = state["total"]
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("x-conn", str(self.conn_id))
        self.send_header("x-total", str(total))
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        with lock:
            state["total"] += 1
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        auth = self.headers.get("authorization") or ""
        if auth.startswith("NTLM "):
            msg = base64.b64decode(auth[5:])
            mtype = struct.unpack_from("<I", msg, 8)[0] if len(msg) >= 12 else 0
            if mtype == 1:
                self.user = None
                self.server_challenge = os.urandom(8)
                token = base64.b64encode(challenge_message(self.server_challenge)).decode()
                return self.reply(401, headers=[("www-authenticate", "NTLM " + token)])
            if mtype == 3 and self.server_challenge is not None:
                self.user = verify(msg, self.server_challenge)
                self.server_challenge = None
        if self.user is None:
            return self.reply(401, b"denied", [("www-authenticate", "NTLM"), ("www-authenticate", 'Basic realm="x"')])
        if self.path.endswith("?wsdl"):  # a WSDL behind NTLM (Dynamics NAV style), for the import test
            return self.reply(200, WSDL.encode(), [("content-type", "text/xml")])
        out = json.dumps({"user": self.user, "method": self.command, "path": self.path, "length": len(body)}).encode()
        self.reply(200, out, [("content-type", "application/json")])

    do_GET = do_POST = do_PUT = handle_any


WSDL = """<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:nav" targetNamespace="urn:nav">
  <wsdl:types><xs:schema targetNamespace="urn:nav" elementFormDefault="qualified">
    <xs:element name="Read"><xs:complexType><xs:sequence><xs:element name="No" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
  </xs:schema></wsdl:types>
  <wsdl:message name="ReadIn"><wsdl:part name="parameters" element="tns:Read"/></wsdl:message>
  <wsdl:portType name="Customer_Port"><wsdl:operation name="Read"><wsdl:input message="tns:ReadIn"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="Customer_Binding" type="tns:Customer_Port">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>
    <wsdl:operation name="Read"><soap:operation soapAction="urn:nav:Read"/><wsdl:input><soap:body use="literal"/></wsdl:input></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="Customer_Service"><wsdl:port name="Customer_Port" binding="tns:Customer_Binding"><soap:address location="http://nav.example.invalid/Customer"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"""

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
