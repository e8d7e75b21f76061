"""Calls the Calculator with python zeep, for test/interop/zeep.test.ts.

usage: zeep_calculator.py WSDL_URL PORT DIRECT_URL
Loads the WSDL from WSDL_URL (the bridge), binds Calculator/PORT (the address in that WSDL) and a
second service of the same binding at DIRECT_URL (the backend itself); calls both and prints JSON.
"""
import json
import sys

from zeep import Client
from zeep.exceptions import Fault


def calls(service):
    out = {
        "Add": service.Add(intA=2, intB=40),
        "Multiply": service.Multiply(intA=6, intB=7),
    }
    try:
        service.Divide(intA=1, intB=0)
        out["DivideByZero"] = None
    except Fault as fault:
        out["DivideByZero"] = {"fault": fault.message, "code": fault.code}
    return out


def main():
    wsdl, port, direct = sys.argv[1:4]
    client = Client(wsdl)
    bound = client.bind("Calculator", port)
    binding = "{http://tempuri.org/}" + port
    result = {
        "address": bound._binding_options["address"],
        "soapVersion": "1.2" if "12" in type(bound._binding).__name__ else "1.1",
        "viaBridge": calls(bound),
        "direct": calls(client.create_service(binding, direct)),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
