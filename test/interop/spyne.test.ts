import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import * as soap from 'soap';
import { describeWithPython, startSpyne } from './python';
import { docReferences, metricValue, startSoapBridge, type SoapTestBridge } from '../utils/soap-bridge';

/**
 * A python spyne service as the BACKEND: its own `?wsdl` is imported as the API's WSDL, and the
 * `soap` package client calls it through the bridge and directly; both must agree.
 */
const maybe = describeWithPython('spyne, lxml', __filename);

type Result = Record<string, unknown>;
type AsyncOp = (args: Record<string, unknown>) => Promise<[Result, string]>;
const op = (client: soap.Client, name: string): AsyncOp => (client as unknown as Record<string, AsyncOp>)[`${name}Async`]!.bind(client);


maybe('spyne backend behind the bridge', () => {
  let spyne: { proc: ChildProcess; url: string };
  let bridge: SoapTestBridge;
  let dir: string;
  let viaBridge: soap.Client;
  let direct: soap.Client;

  beforeAll(async () => {
    spyne = await startSpyne('spyne_service.py');
    // 1. Import the backend's WSDL: fetch it and save it as the API's wsdl file.
    const res = await request(`${spyne.url}?wsdl`);
    expect(res.statusCode).toBe(200);
    dir = mkdtempSync(path.join(tmpdir(), 'soapbridge-spyne-'));
    const wsdl = path.join(dir, 'spyne.wsdl');
    writeFileSync(wsdl, await res.body.text());
    bridge = await startSoapBridge({ wsdl, backendUrl: spyne.url, name: 'spyne' });
    viaBridge = await soap.createClientAsync(`${bridge.apiUrl}?wsdl`);
    direct = await soap.createClientAsync(`${spyne.url}?wsdl`);
  }, 30_000);

  afterAll(async () => {
    await bridge?.close();
    spyne?.proc.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the bridge advertises itself in the spyne WSDL', async () => {
    const res = await request(`${bridge.apiUrl}?wsdl`);
    const refs = docReferences(await res.body.text());
    expect(refs.addresses.length).toBeGreaterThan(0);
    for (const a of refs.addresses) expect(a).toBe(bridge.apiUrl);
  });

  test.each([
    ['add', { a: 40, b: 2 }],
    ['divide', { a: 84, b: 2 }],
    ['repeat', { text: 'ab', times: 3 }],
  ] as const)('%s through the bridge equals calling spyne directly', async (name, args) => {
    const [a, rawA] = await op(viaBridge, name)(args);
    const [b, rawB] = await op(direct, name)(args);
    expect(a).toEqual(b);
    expect(rawA).toBe(rawB);
    expect(Object.keys(a)).toEqual([`${name}Result`]);
    expect(await metricValue(bridge.adminUrl, 'soapbridge_soap_operation_requests_total', { api: 'spyne', operation: name, status: '200' })).toBe(1);
  });

  test('a spyne Fault reaches the client through the bridge', async () => {
    const fault = async (client: soap.Client): Promise<unknown> =>
      op(client, 'divide')({ a: 1, b: 0 }).then(
        () => 'no fault',
        (e: { root?: { Envelope?: { Body?: { Fault?: unknown } } } }) => e.root?.Envelope?.Body?.Fault,
      );
    const [a, b] = [await fault(viaBridge), await fault(direct)];
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toContain('division by zero');
  });
});
