import path from 'node:path';
import { main } from '../../../src/cli/index';
import { removeConfigDir, writeConfigDir } from '../../utils/bridge';

/** Runs the CLI and captures what it writes (the process streams are restored afterwards). */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('soapbridge validate', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('prints every problem to stderr and exits 1', async () => {
    const file = writeConfigDir('server:\n  http: { port: 0 }\nbogus: 1\n', { a: 'name: a\ncontext: /a\nversion: v1\nstate: LIVE\nendpoints: {}\n' });
    try {
      const r = await run(['validate', '--config', file]);
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toContain(`${file}:3: bogus: unknown key "bogus" (not in the schema)`);
      expect(lines.some((l) => l.startsWith(`${path.dirname(file)}/apis/a.yaml:4: state: expected one of`))).toBe(true);
      expect(lines[lines.length - 1]).toMatch(/^\d+ problems found$/);
      expect(r.stdout).toBe('');
    } finally {
      removeConfigDir(file);
    }
  });

  test('a config file that is not there: one problem that says how to point at one', async () => {
    const missing = path.join(__dirname, 'no-such-folder', 'soapbridge.yaml');
    const r = await run(['validate', '--config', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`${missing}: (root): file not found (run soapbridge in the folder that holds config/soapbridge.yaml, or pass --config FILE)`, '1 problem found']);
  });

  test('accepts the default config (ports from the environment) and exits 0', async () => {
    Object.assign(process.env, { SOAPBRIDGE_PORT: '18280', SOAPBRIDGE_ADMIN_PORT: '19090', SOAPBRIDGE_DEMO_PORT: '18290' });
    const file = path.join(__dirname, '../../../config/soapbridge.yaml');
    const r = await run(['validate', '--config', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: OK \(\d+ APIs?: .*weather/);
  });

  test('an unknown command exits 2 with usage', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });
});
