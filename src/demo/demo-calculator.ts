import http from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as soap from 'soap';

/**
 * DEMO ONLY: the Calculator of wsdl/Calculator.wsdl served by the `soap` package (a SOAP
 * implementation nobody here wrote) at /calculator on the demo server, for the README's SOAP
 * curl and ?wsdl. One `soap` server answers in one SOAP version, so there are two, picked by
 * the request's content type. Divide by zero answers a Client/Sender fault of that version.
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
type Version = '1.1' | '1.2';

export function calculatorOperations(version: Version): Record<string, (args: Args) => Record<string, number>> {
  const n = (v: number | string): number => Number(v);
  return {
    Add: (a) => ({ AddResult: n(a.intA) + n(a.intB) }),
    Subtract: (a) => ({ SubtractResult: n(a.intA) - n(a.intB) }),
    Multiply: (a) => ({ MultiplyResult: n(a.intA) * n(a.intB) }),
    Divide: (a) => {
      if (n(a.intB) === 0) {
        const fault = version === '1.1' ? { faultcode: 'soap:Client', faultstring: 'division by zero' } : { Code: { Value: 'soap:Sender' }, Reason: { Text: 'division by zero' } };
        throw { Fault: { ...fault, statusCode: 500 } };
      }
      return { DivideResult: Math.trunc(n(a.intA) / n(a.intB)) };
    },
  };
}

/** Returns a request handler for `/calculator` (SOAP 1.1 and 1.2) and `/calculator?wsdl`. */
export function calculatorHandler(wsdlFile: string = CALCULATOR_WSDL): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const xml = readFileSync(wsdlFile, 'utf8');
  const inner = { '1.1': http.createServer(), '1.2': http.createServer() };
  for (const v of ['1.1', '1.2'] as const) {
    const ops = calculatorOperations(v);
    soap.listen(inner[v], { path: '/calculator', services: { Calculator: { CalculatorSoap: ops, CalculatorSoap12: ops } }, xml, forceSoap12Headers: v === '1.2' });
  }
  return (req, res) => {
    const v: Version = String(req.headers['content-type'] ?? '').startsWith('application/soap+xml') ? '1.2' : '1.1';
    inner[v].emit('request', req, res);
  };
}
