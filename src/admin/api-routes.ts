import express, { type Router, type Request } from 'express';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiStore } from '../config/api-store';
import type { BridgeConfig } from '../config/schema';
import { importApi } from '../import/import-api';
import { sourceAuthSchema, sourceTlsSchema } from '../import/source-access';
import type { ZodError } from 'zod';
import { BridgeError } from '../errors/bridge-error';
import { ConfigError } from '../config/problems';
import type { ReloadOutcome } from '../config/reload';
import { isWsdlImportError, MISSING_IMPORTS_NOTE, WsdlImportError } from '../wsdl/errors';

export interface ApiRoutesDeps {
  readonly config: () => BridgeConfig;
  /** Validates and swaps in the config from disk; when refused, why (the last good one serves on). */
  readonly reload: (reason: string) => Promise<ReloadOutcome>;
}

/**
 * CRUD of API definitions, lifecycle actions and WSDL import. Every change goes through
 * ApiStore (validate, then atomic write) and is applied by a hot reload before answering.
 */
export function apiRoutes(deps: ApiRoutesDeps): Router {
  const r = express.Router();
  const store = (): ApiStore => new ApiStore(deps.config);
  const json = express.json({ limit: '1mb' });
  const applied = async (what: string): Promise<void> => {
    const outcome = await deps.reload(what);
    if (!outcome.ok) throw new BridgeError('INTERNAL_ERROR', `the change was written but the reload failed: ${outcome.error.message}`);
  };
  /**
   * Writes one API file with `change` and applies it. What only building the config can find
   * (an operations: key the WSDL lacks, a wsdl endpoint whose WSDL has no callable port) is
   * undone on disk: the files keep describing what is served, so the next start still works,
   * and the caller gets the problems (CONFIG_INVALID) instead of a change that is half there.
   */
  const changed = async <T>(name: string, what: string, change: (s: ApiStore) => T): Promise<T> => {
    const s = store();
    const before = s.snapshot(name);
    const result = change(s);
    const outcome = await deps.reload(what);
    if (outcome.ok) return result;
    s.restore(name, before);
    const e = outcome.error;
    throw e instanceof ConfigError || isWsdlImportError(e) ? e : new BridgeError('CONFIG_INVALID', `not applied: ${e.message}`);
  };

  r.get('/apis', (_req, res) => {
    res.json(store().list().map((a) => ({ name: a.name, ...summaryOf(deps.config(), a.name) })));
  });
  r.get('/apis/:name', (req, res) => {
    res.json(store().read(String(req.params['name'])));
  });
  r.post('/apis', json, async (req, res) => {
    const name = String((req.body as { name?: unknown } | undefined)?.name ?? '');
    await changed(name, `admin: create ${name}`, (s) => s.write(name, req.body, 'create'));
    res.status(201).location(`/apis/${name}`).json(store().read(name));
  });
  r.put('/apis/:name', json, async (req, res) => {
    const name = String(req.params['name']);
    await changed(name, `admin: replace ${name}`, (s) => s.write(name, req.body, 'replace'));
    res.json(store().read(name));
  });
  r.delete('/apis/:name', async (req, res) => {
    const name = String(req.params['name']);
    await changed(name, `admin: delete ${name}`, (s) => s.remove(name));
    res.status(204).end();
  });
  r.post('/apis/:name/lifecycle', json, async (req, res) => {
    const name = String(req.params['name']);
    const action = (req.body as { action?: unknown } | undefined)?.action;
    if (typeof action !== 'string') throw new BridgeError('BAD_REQUEST', 'expected {"action": "Publish" | "Deploy as Prototype" | ...}');
    const t = await changed(name, `admin: ${action} ${name}`, (s) => s.lifecycle(name, action));
    res.json({ name, action, ...t });
  });
  r.post(
    '/import',
    express.raw({ type: ['application/zip', 'application/octet-stream', 'text/xml', 'application/xml', 'application/wsdl+xml'], limit: '64mb' }),
    json,
    async (req, res) => {
      const q = (k: string): string | undefined => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
      const body = req.body as Buffer | { url?: unknown; name?: unknown; context?: unknown; version?: unknown; auth?: unknown; tls?: unknown } | undefined;
      const fields = Buffer.isBuffer(body) ? {} : (body ?? {});
      const name = q('name') ?? (typeof fields.name === 'string' ? fields.name : undefined);
      if (!name) throw new BridgeError('BAD_REQUEST', 'expected a name (?name= or "name")');
      const context = q('context') ?? (typeof fields.context === 'string' ? fields.context : undefined);
      const version = q('version') ?? (typeof fields.version === 'string' ? fields.version : undefined);
      const tmp = mkdtempSync(path.join(tmpdir(), 'soapbridge-import-'));
      try {
        // A JSON source must be a URL: a plain string would be read as a path on the bridge's disk.
        if (typeof fields.url === 'string' && !/^https?:\/\//i.test(fields.url)) throw new BridgeError('BAD_REQUEST', '"url" must be an http(s) URL');
        const upload = Buffer.isBuffer(body) ? uploaded(tmp, req, body) : undefined;
        const source = upload?.file ?? (typeof fields.url === 'string' ? fields.url : undefined);
        if (!source) throw new BridgeError('BAD_REQUEST', 'expected a WSDL (text/xml), a .zip (application/zip) or {"url": ...}');
        const auth = fields.auth === undefined ? undefined : sourceAuthSchema.safeParse(fields.auth);
        if (auth && !auth.success) throw new BridgeError('BAD_REQUEST', `"auth": ${issuesOf(auth.error, 'auth')}`);
        const tls = fields.tls === undefined ? undefined : sourceTlsSchema.safeParse(fields.tls);
        if (tls && !tls.success) throw new BridgeError('BAD_REQUEST', `"tls": ${issuesOf(tls.error, 'tls')}`);
        // Off the event loop: the bridge keeps serving while a large WSDL is loaded and compiled.
        const result = await importApi(
          { source, name, ...(context ? { context } : {}), ...(version ? { version } : {}), force: q('force') === 'true', offThread: true, ...(auth ? { auth: auth.data } : {}), ...(tls ? { tls: tls.data } : {}) },
          deps.config(),
        ).catch((e: unknown) => {
          // A WSDL sent as the body arrives without the files beside it that it imports.
          if (isWsdlImportError(e) && upload?.zip === false && e.reason.includes(MISSING_IMPORTS_NOTE)) {
            throw new WsdlImportError(e.file, `${e.reason} (a WSDL sent as text/xml comes alone: send a .zip holding it and the files it imports, or {"url": ...} where they can be fetched)`);
          }
          throw e;
        });
        await applied(`admin: import ${name}`);
        res.status(201).json({ name, summary: result.summary, documents: result.documents });
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  );
  return r;
}

/** Zod's issues as one line; paths only, never the values (they may be secrets). */
function issuesOf(error: ZodError, root: string): string {
  return error.issues.map((i) => `${i.path.join('.') || root}: ${i.message}`).join('; ');
}

function uploaded(dir: string, req: Request, body: Buffer): { file: string; zip: boolean } {
  const zip = /zip|octet-stream/.test(req.headers['content-type'] ?? '') || body.subarray(0, 2).toString('latin1') === 'PK';
  const file = path.join(dir, zip ? 'upload.zip' : 'upload.wsdl');
  writeFileSync(file, body);
  return { file, zip };
}

function summaryOf(config: BridgeConfig, name: string): Record<string, unknown> {
  const api = config.apis.find((a) => a.config.name === name)?.config;
  return api ? { context: api.context, version: api.version, state: api.state, loaded: true } : { loaded: false };
}
