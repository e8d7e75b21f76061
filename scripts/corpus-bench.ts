import type { ManifestRow } from './corpus-manifest';
export async function runBenchmark(_dir: string, _sets: ManifestRow[]): Promise<void> {}
