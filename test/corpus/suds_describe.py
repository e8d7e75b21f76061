"""Describes one WSDL the way python suds sees it, for test/corpus/suds-wsdl-from-bridge.test.ts.

usage: suds_describe.py FILE-OR-URL
Prints one JSON object: {"ports": {"Service/Port": {"address": URL, "methods": {NAME: "(type name, ...)"}}},
"types": [TYPE, ...]} or {"error": MESSAGE}. Nothing but loopback and local files is ever fetched:
any other URL fails the load (test traffic stays on 127.0.0.1). One process per WSDL, so a
runaway (suds recurses on some schemas) is that WSDL's outcome only.
"""
import json
import os
import sys
from urllib.parse import urlparse

from suds.client import Client
from suds.transport.http import HttpTransport


class LoopbackOnly(HttpTransport):
    def open(self, request):
        self._check(request.url)
        return HttpTransport.open(self, request)

    def send(self, request):
        self._check(request.url)
        return HttpTransport.send(self, request)

    @staticmethod
    def _check(url):
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https") and parsed.hostname not in ("127.0.0.1", "localhost"):
            raise IOError("not fetched (off loopback): " + url)


def describe(wsdl):
    url = wsdl if "://" in wsdl else "file://" + os.path.abspath(wsdl)
    client = Client(url, cache=None, transport=LoopbackOnly(timeout=30))
    ports = {}
    types = set()
    for sd in client.sd:
        for port, methods in sd.ports:
            signatures = {}
            for name, params in methods:
                signatures[name] = "(" + ", ".join(sd.xlate(p[1]) + " " + p[0] for p in params) + ")"
            ports[sd.service.name + "/" + port.name] = {"address": port.location, "methods": signatures}
        for t in sd.types:
            types.add(sd.xlate(t[0]))
    return {"ports": ports, "types": sorted(types)}


def main():
    sys.setrecursionlimit(20000)
    try:
        out = describe(sys.argv[1])
    except Exception as e:  # suds raises many types; the test compares outcomes
        out = {"error": type(e).__name__ + ": " + str(e)[:300]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
