"""spyne_service.py's calculator plus operations with arrays, doubles, booleans and a complex type,
used as a BACKEND by test/interop/facade-spyne.test.ts (the REST facade in front of spyne).

usage: facade_spyne_service.py
Listens on 127.0.0.1, a free port, prints {"port": N} on one line once ready, serves until killed.
WSDL at http://127.0.0.1:N/?wsdl (document/literal wrapped, namespace urn:example:spyne).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spyne_service import SpyneCalculator, serve  # noqa: E402

from spyne import Array, Boolean, ComplexModel, Double, Integer, ServiceBase, Unicode, rpc  # noqa: E402


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
    serve([SpyneCalculator, SpyneExtras])


if __name__ == "__main__":
    main()
