"""spyne_service.py's calculator plus operations with arrays, doubles, booleans and a complex type,
used as a BACKEND by test/interop/facade-spyne.test.ts (the REST facade in front of spyne).

usage: facade_spyne_service.py
Listens on 127.0.0.1, a free port, prints {"port": N} on one line once ready, serves until killed.
WSDL at http://127.0.0.1:N/?wsdl (document/literal wrapped, namespace urn:example:spyne).
"""
import json
import logging
import os
import sys
from wsgiref.simple_server import make_server

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spyne_service import QuietHandler, SpyneCalculator  # noqa: E402

from spyne import Application, Array, Boolean, ComplexModel, Double, Integer, ServiceBase, Unicode, rpc  # noqa: E402
from spyne.protocol.soap import Soap11  # noqa: E402
from spyne.server.wsgi import WsgiApplication  # noqa: E402


class Person(ComplexModel):
    __namespace__ = "urn:example:spyne"
    name = Unicode
    age = Integer
    tags = Array(Unicode)


class SpyneExtras(ServiceBase):
    @rpc(Unicode, Integer, _returns=Array(Unicode))
    def repeat_list(ctx, text, times):
        return [text] * times

    @rpc(Array(Integer), _returns=Integer)
    def sum_all(ctx, values):
        return sum(values or [])

    @rpc(Array(Double), _returns=Double)
    def mean(ctx, values):
        values = values or []
        return sum(values) / len(values) if values else 0.0

    @rpc(Integer, _returns=Boolean)
    def is_even(ctx, n):
        return n % 2 == 0

    @rpc(Person, _returns=Person)
    def older(ctx, person):
        return Person(name=person.name.upper(), age=(person.age or 0) + 1, tags=list(person.tags or []) + ["older"])


def main():
    logging.basicConfig(level=logging.CRITICAL)
    app = Application([SpyneCalculator, SpyneExtras], tns="urn:example:spyne", in_protocol=Soap11(validator="lxml"), out_protocol=Soap11())
    server = make_server("127.0.0.1", 0, WsgiApplication(app), handler_class=QuietHandler)
    print(json.dumps({"port": server.server_port}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
