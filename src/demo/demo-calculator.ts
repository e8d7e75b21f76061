import type http from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as soap from 'soap';

/**
 * DEMO ONLY: the Calculator of wsdl/Calculator.wsdl served by the `soap` package (a SOAP
 * implementation nobody here wrote) at /calculator on the demo server, for the README's SOAP
 * curl and ?wsdl. Divide by zero answers a Client fault.
 */
export const CALCULATOR_WSDL = findUp(__dirname, 'wsdl/Calculator.wsdl');

// Works from src/ (tests) and dist/src/ (built) alike.
function findUp(from: string, rel: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, rel))) return path.join(dir, rel);
    if (path.dirname(dir) === dir) return path.resolve(rel);
  }
}

type Args = { intA: number | string; intB: number | string };

function operations(): Record<string, (args: Args) => Record<string, number>> {
  const n = (v: number | string): number => Number(v);
  return {
    Add: (a) => ({ AddResult: n(a.intA) + n(a.intB) }),
    Subtract: (a) => ({ SubtractResult: n(a.intA) - n(a.intB) }),
    Multiply: (a) => ({ MultiplyResult: n(a.intA) * n(a.intB) }),
    Divide: (a) => {
      if (n(a.intB) === 0) {
        throw { Fault: { Code: { Value: 'soap:Sender' }, Reason: { Text: 'division by zero' }, faultcode: 'soap:Client', faultstring: 'division by zero', statusCode: 500 } };
      }
      return { DivideResult: Math.trunc(n(a.intA) / n(a.intB)) };
    },
  };
}

export function attachCalculator(server: http.Server, wsdlFile: string = CALCULATOR_WSDL): void {
  const ops = operations();
  soap.listen(server, '/calculator', { Calculator: { CalculatorSoap: ops, CalculatorSoap12: ops } }, readFileSync(wsdlFile, 'utf8'));
}
