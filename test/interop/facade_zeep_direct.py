"""Calls a SOAP service with python zeep, for test/interop/facade-spyne.test.ts.

usage: facade_zeep_direct.py WSDL_URL < calls.json
calls.json: [[operation, {args}], ...]. Prints one JSON array: per call, the operation's result as
zeep returns it (serialize_object: the single response member unwrapped, complex values as dicts),
or {"fault": message, "code": faultcode} for a SOAP Fault.
"""
import json
import sys

from zeep import Client
from zeep.exceptions import Fault
from zeep.helpers import serialize_object


def main():
    client = Client(sys.argv[1])
    out = []
    for operation, args in json.load(sys.stdin):
        try:
            out.append({"result": serialize_object(client.service[operation](**args), dict)})
        except Fault as fault:
            out.append({"fault": fault.message, "code": fault.code})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
