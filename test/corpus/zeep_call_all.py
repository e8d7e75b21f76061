"""Calls every operation of a WSDL with python zeep, for test/corpus/zeep-client-calls.test.ts.

usage: zeep_call_all.py WSDL_URL [--http]
Loads the WSDL (the bridge's ?wsdl) and calls each operation of each SOAP port (--http: of each
HTTP GET/POST port instead), once,
with no arguments, at the address the WSDL holds. Prints {"calls": [{"port": PORT, "op": NAME,
"sent": bool, "error": MESSAGE|null}]} or {"error": MESSAGE}: "sent" says whether a request went
out (zeep refuses to build some requests itself). Nothing but loopback is ever fetched or called.
"""
import json
import sys
from urllib.parse import urlparse

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from call_record import record  # noqa: E402  (same folder)
from zeep import Client, Settings  # noqa: E402
from zeep.transports import Transport
from zeep.wsdl.bindings.http import HttpBinding
from zeep.wsdl.bindings.soap import SoapBinding
from zeep.xsd.elements.attribute import Attribute
from zeep.xsd.elements.element import Element

# Calls without arguments: zeep would refuse to render a request missing a required element or
# attribute. The bridge needs only zeep's envelope (its prefixes, wrappers, action) to identify
# the operation, so the request-side checks are switched off; answers are still read as usual.
Element.validate = lambda self, value, render_path: None
Attribute.validate = lambda self, value, render_path: None


class LoopbackOnly(Transport):
    """Counts the requests zeep posts; fetches and posts nothing off loopback."""

    sent = 0

    @staticmethod
    def _check(url):
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https") and parsed.hostname not in ("127.0.0.1", "localhost"):
            raise IOError("not fetched (off loopback): " + url)

    def load(self, url):
        self._check(url)
        return super().load(url)

    def post(self, address, message, headers):
        self._check(address)
        LoopbackOnly.sent += 1
        return super().post(address, message, headers)

    def get(self, address, params, headers):  # HTTP GET bindings
        self._check(address)
        LoopbackOnly.sent += 1
        return super().get(address, params, headers)


def main():
    sys.setrecursionlimit(20000)
    try:
        # strict=False: read what the schema allows loosely, as most zeep users run it.
        client = Client(sys.argv[1], transport=LoopbackOnly(timeout=10, operation_timeout=10), settings=Settings(strict=False))
    except Exception as e:  # zeep raises many types; the test counts the sets it cannot load
        print(json.dumps({"error": type(e).__name__ + ": " + str(e)[:300]}))
        return
    kind = HttpBinding if sys.argv[2:3] == ["--http"] else SoapBinding
    calls = []
    for service in client.wsdl.services.values():
        for port in service.ports.values():
            if not port.binding_options.get("address") or not isinstance(port.binding, kind):
                continue
            proxy = client.bind(service.name, port.name)
            for name in port.binding._operations:
                record(calls, port.name, name, getattr(proxy, name), lambda: LoopbackOnly.sent)
    print(json.dumps({"calls": calls}))


if __name__ == "__main__":
    main()
