/** MANIFEST.tsv of the WSDL corpus, and what each set is expected to do. */
export interface ManifestRow {
  set: string;
  entry: string;
  style: string;
  soapVersions: string;
  features: string[];
  wellFormed: boolean;
  bytes: number;
}

export function parseManifest(tsv: string): ManifestRow[] {
  const [head, ...lines] = tsv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const cols = (head ?? '').split('\t');
  const at = (cells: string[], name: string): string => cells[cols.indexOf(name)] ?? '';
  return lines.map((l) => {
    const c = l.split('\t');
    return {
      set: at(c, 'set'),
      entry: at(c, 'entry_file'),
      style: at(c, 'style'),
      soapVersions: at(c, 'soap_versions'),
      features: at(c, 'features').split(',').map((f) => f.trim()).filter(Boolean),
      wellFormed: at(c, 'well_formed') === 'yes',
      bytes: Number(at(c, 'bytes_total')) || 0,
    };
  });
}

/**
 * `broken` sets must be refused with a clear message; every other set, WSDL 2.0 ones included,
 * must import. (`either` remains for sets whose refusal is a documented limitation; none today.)
 */
export function expectationOf(row: ManifestRow): 'ok' | 'refuse' | 'either' {
  if (row.features.includes('broken')) return 'refuse';
  return 'ok';
}
