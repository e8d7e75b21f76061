import path from 'node:path';
import { readFileSync } from 'node:fs';
import { check } from '../utils/openapi-check';

const CORPUS = path.join(__dirname, '../../../shared/wsdl-corpus');

describe('OpenAPI 3.1 from real-world WSDLs', () => {
  test.each(['nodesoap-complex-registration', 'wasabi-marketo', 'savon-betfair', 'wasabi-tradetracker', 'nodesoap-xsi-type-metadata', 'strongsoap-cdyne-weather'])('corpus set %s', async (set) => {
    const manifest = readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8');
    const row = manifest.split('\n').find((l) => l.startsWith(`${set}\t`));
    if (!row) throw new Error(`${set} is not in the corpus manifest`);
    await check(path.join(CORPUS, set, row.split('\t')[1] as string));
  });

});
