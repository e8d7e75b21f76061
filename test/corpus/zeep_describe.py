"""Describes WSDLs the way python zeep sees them, for test/corpus/zeep-wsdl-from-bridge.test.ts.

usage: zeep_describe.py < jobs.json
jobs.json: [{"set": NAME, "wsdl": FILE-OR-URL}, ...]. Prints one JSON line per job:
{"set": NAME, "ports": {"Service/Port": {"address": URL, "operations": {OP: "input -> output"}}}}
or {"set": NAME, "error": MESSAGE}. Nothing but loopback is ever fetched: any other URL fails the
load (test traffic stays on 127.0.0.1).
"""
import json
import sys
from urllib.parse import urlparse

from zeep import Client
from zeep.transports import Transport


class LoopbackOnly(Transport):
    def load(self, url):
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https") and parsed.hostname not in ("127.0.0.1", "localhost"):
            raise IOError("not fetched (off loopback): " + url)
        return super().load(url)


def describe(wsdl):
    client = Client(wsdl, transport=LoopbackOnly(timeout=30))
    ports = {}
    for service in client.wsdl.services.values():
        for port in service.ports.values():
            ops = {}
            for name, op in port.binding._operations.items():
                ins = op.input.signature(as_output=False) if op.input else ""
                outs = op.output.signature(as_output=True) if op.output else ""
                ops[name] = ins + " -> " + outs
            ports[service.name + "/" + port.name] = {"address": port.binding_options.get("address"), "operations": ops}
    return ports


def main():
    for job in json.load(sys.stdin):
        try:
            out = {"set": job["set"], "ports": describe(job["wsdl"])}
        except Exception as e:  # zeep raises many types; the test compares outcomes
            out = {"set": job["set"], "error": type(e).__name__ + ": " + str(e)[:300]}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
