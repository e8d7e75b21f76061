"""Calls every method of a WSDL with python suds, for test/corpus/suds-client-calls.test.ts.

usage: suds_call_all.py WSDL_URL
Loads the WSDL (the bridge's ?wsdl) and calls each method of each port suds lists, once, with no
arguments, at the address the WSDL holds. Prints {"calls": [{"port": PORT, "op": NAME, "sent": bool,
"error": MESSAGE|null}]} or {"error": MESSAGE}: "sent" says whether a request went out (suds
refuses to build some requests itself). Nothing but loopback is ever fetched or called.
"""
import json
import sys

from suds.client import Client
from suds.plugin import MessagePlugin

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from call_record import record  # noqa: E402  (same folder)
from suds_describe import LoopbackOnly  # noqa: E402


class Counting(MessagePlugin):
    """Counts the envelopes suds hands to its transport."""

    def __init__(self):
        self.sent = 0

    def sending(self, context):
        self.sent += 1


def main():
    sys.setrecursionlimit(20000)
    counting = Counting()
    try:
        client = Client(sys.argv[1], cache=None, transport=LoopbackOnly(timeout=10), plugins=[counting])
    except Exception as e:  # suds raises many types; the test counts the sets it cannot load
        print(json.dumps({"error": type(e).__name__ + ": " + str(e)[:300]}))
        return
    calls = []
    for sd in client.sd:
        for port, methods in sd.ports:
            client.set_options(service=sd.service.name, port=port.name)
            for name, _params in methods:
                record(calls, port.name, name, getattr(client.service, name), lambda: counting.sent)
    print(json.dumps({"calls": calls}))


if __name__ == "__main__":
    main()
