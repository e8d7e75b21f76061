import type { ManifestRow } from '../../scripts/corpus-manifest';
import * as path from 'node:path';
import { twoAtATime } from '../interop/json-process';
import { CORPUS } from '../unit/wsdl/helpers';

/**
 * What a real client (zeep, suds, PHP's SoapClient) made of one WSDL: its own view of the
 * description, or why it could not load it.
 */
export type ClientView<V extends object> = V | { error: string };

export interface Comparison {
  /** Sets the client loaded both from the files and from the bridge, and compared. */
  compared: string[];
  /** Sets the client cannot load from the original files: counted, not compared. */
  cannot: string[];
  /** What the bridge's `?wsdl` changed for the client: the test expects none. */
  differences: string[];
}

/** Each job's WSDL described by a client (one process per WSDL), two at a time, by set. */
async function viewsBySet<V extends object>(jobs: readonly { set: string; wsdl: string }[], describe: (wsdl: string) => Promise<ClientView<V>>): Promise<Map<string, ClientView<V>>> {
  const views = await twoAtATime(jobs, (job) => describe(job.wsdl));
  return new Map(jobs.map((job, i) => [job.set, views[i]!]));
}

/**
 * `describe` (one client process per WSDL, two at a time) every set once from its original
 * files and once from the bridge's `?wsdl` at `base` (`{base}/{set}/v1`), then compareViews.
 */
export async function compareFilesAndBridge<V extends object>(
  sets: readonly ManifestRow[],
  base: string,
  describe: (wsdl: string) => Promise<ClientView<V>>,
  differ: (fromFiles: V, fromBridge: V, set: string) => string[],
): Promise<Comparison> {
  const direct = await viewsBySet(sets.map((s) => ({ set: s.set, wsdl: path.join(CORPUS, s.set, s.entry) })), describe);
  const viaBridge = await viewsBySet(sets.map((s) => ({ set: s.set, wsdl: `${base}/${s.set}/v1?wsdl` })), describe);
  return compareViews(sets, direct, viaBridge, differ);
}

function failed<V extends object>(view: ClientView<V> | undefined): view is { error: string } | undefined {
  return view === undefined || typeof (view as { error?: unknown }).error === 'string';
}

/**
 * "Existing SOAP clients change only their endpoint URL", set by set: each view the client took
 * from the files (`direct`) against the one it took from the bridge's `?wsdl` alone. A set the
 * client loads from the files but not from the bridge is a difference; `differ` names the others.
 */
export function compareViews<V extends object>(
  sets: readonly ManifestRow[],
  direct: ReadonlyMap<string, ClientView<V>>,
  viaBridge: ReadonlyMap<string, ClientView<V>>,
  differ: (fromFiles: V, fromBridge: V, set: string) => string[],
): Comparison {
  const out: Comparison = { compared: [], cannot: [], differences: [] };
  for (const s of sets) {
    const d = direct.get(s.set);
    const b = viaBridge.get(s.set);
    if (failed(d)) out.cannot.push(`${s.set}: ${d?.error ?? 'no answer'}${failed(b) ? '' : ' (but it loads from the bridge)'}`);
    else if (failed(b)) out.differences.push(`${s.set}: loads from the files, but from the bridge: ${b?.error ?? 'no answer'}`);
    else {
      out.compared.push(s.set);
      out.differences.push(...differ(d, b, s.set).map((line) => `${s.set}: ${line}`));
    }
  }
  return out;
}
