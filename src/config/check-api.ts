import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ApiConfig } from './schema';
import type { EndpointConfig } from './endpoint-schema';
import type { ConfigProblem } from './problems';
import { compileTemplate } from '../rest/uri-template';
import { compileResource } from '../rest/resource-matcher';

/** Checks the schema cannot express: files exist, templates parse, parts agree. */
export function checkApi(file: string, api: ApiConfig, problems: ConfigProblem[]): void {
  const add = (p: string, message: string): void => void problems.push({ file, path: p, message });
  const dir = path.dirname(file);
  if (api.wsdl && !/^https?:/.test(api.wsdl) && !existsSync(path.resolve(dir, api.wsdl))) {
    add('wsdl', `file ${api.wsdl} does not exist (paths are relative to ${dir})`);
  }
  if (api.expose?.soap && !api.wsdl) add('expose.soap', 'expected a "wsdl" to serve SOAP');
  if (api.expose?.rest && !api.wsdl) add('expose.rest', 'expected a "wsdl": the REST facade of a SOAP API is generated from it');
  if (!api.wsdl && (!api.resources || api.resources.length === 0)) add('resources', 'expected at least one resource for a REST API (or a "wsdl")');
  if (!api.endpoints.production && !api.endpoints.sandbox) add('endpoints', 'expected "production" and/or "sandbox"');
  (api.resources ?? []).forEach((r, i) => {
    try {
      compileResource(r.path, r.methods, null);
    } catch (e) {
      add(`resources[${i}].path`, (e as Error).message);
    }
  });
  for (const env of ['production', 'sandbox'] as const) {
    const ep = api.endpoints[env];
    if (ep) checkEndpoint(ep, `endpoints.${env}`, api, add);
  }
}

function checkEndpoint(ep: EndpointConfig, at: string, api: ApiConfig, add: (p: string, m: string) => void): void {
  switch (ep.type) {
    case 'http':
    case 'soap':
      try {
        const t = compileTemplate(ep.url);
        if (!/^https?:\/\//i.test(ep.url)) add(`${at}.url`, 'expected an http:// or https:// URL');
        else if (!t.hasExpressions) new URL(ep.url);
      } catch (e) {
        add(`${at}.url`, e instanceof TypeError ? `invalid URL "${ep.url}"` : (e as Error).message);
      }
      break;
    case 'wsdl':
      if (!api.wsdl) add(at, 'a "wsdl" endpoint needs the API to have a "wsdl"');
      break;
    case 'failover':
    case 'loadbalance':
      ep.members.forEach((m, i) => checkEndpoint(m, `${at}.members[${i}]`, api, add));
      break;
    case 'dynamic':
      ep.rules.forEach((r, i) => {
        const sources = [r.header, r.query, r.uriVar, r.jsonPath, r.xpath].filter((x) => x !== undefined);
        if (sources.length !== 1) add(`${at}.rules[${i}]`, 'expected exactly one of header, query, uriVar, jsonPath, xpath');
        if (r.matches !== undefined) {
          try {
            new RegExp(r.matches);
          } catch {
            add(`${at}.rules[${i}].matches`, `invalid regular expression "${r.matches}"`);
          }
        }
        checkEndpoint(r.endpoint, `${at}.rules[${i}].endpoint`, api, add);
      });
      if (ep.default) checkEndpoint(ep.default, `${at}.default`, api, add);
      break;
    case 'prototype':
      break;
  }
}
