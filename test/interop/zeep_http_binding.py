"""Calls an ASMX-style WSDL's HTTP GET and POST ports with python zeep, for test/integration/soap/http-bindings.test.ts.

usage: zeep_http_binding.py WSDL_URL DIRECT_URL
Loads the WSDL from WSDL_URL (the bridge), calls GetWeather on the WeatherHttpGet and
WeatherHttpPost ports at the addresses that WSDL holds, and on the same bindings at DIRECT_URL
(the backend itself); prints JSON.
"""
import json
import sys

from zeep import Client

NS = "{http://www.example.org/weather}"


def main():
    wsdl, direct = sys.argv[1:3]
    client = Client(wsdl)
    out = {}
    for port in ("WeatherHttpGet", "WeatherHttpPost"):
        bound = client.bind("Weather", port)
        out[port] = {
            "address": bound._binding_options["address"],
            "viaBridge": bound.GetWeather(CityName="Oslo"),
            "direct": client.create_service(NS + port, direct).GetWeather(CityName="Oslo"),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
