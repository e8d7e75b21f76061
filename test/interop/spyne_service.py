"""A small spyne SOAP 1.1 service used as a BACKEND by test/interop/spyne.test.ts.

usage: spyne_service.py
Listens on 127.0.0.1, a free port, prints {"port": N} on one line once ready, serves until killed.
WSDL at http://127.0.0.1:N/?wsdl (document/literal wrapped, namespace urn:example:spyne).
"""
import json
import logging
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

from spyne import Application, Fault, Integer, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication


class SpyneCalculator(ServiceBase):
    @rpc(Integer, Integer, _returns=Integer)
    def add(ctx, a, b):
        return a + b

    @rpc(Integer, Integer, _returns=Integer)
    def divide(ctx, a, b):
        if b == 0:
            raise Fault(faultcode="Client.DivisionByZero", faultstring="division by zero")
        return a // b

    @rpc(Unicode, Integer, _returns=Unicode)
    def repeat(ctx, text, times):
        return text * times


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve(services):
    """Serves `services` on 127.0.0.1 (a free port), prints {"port": N} once ready, until killed."""
    logging.basicConfig(level=logging.CRITICAL)
    app = Application(services, tns="urn:example:spyne", in_protocol=Soap11(validator="lxml"), out_protocol=Soap11())
    server = make_server("127.0.0.1", 0, WsgiApplication(app), handler_class=QuietHandler)
    print(json.dumps({"port": server.server_port}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


def main():
    serve([SpyneCalculator])


if __name__ == "__main__":
    main()
