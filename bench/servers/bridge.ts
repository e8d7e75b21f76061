import { loadConfig } from '../../src/config/load';
import { startBridge } from '../../src/main';

/**
 * The bridge under test, in its own process: `node bridge.js <soapbridge.yaml>`. Reports
 * `{ url }` over IPC; on SIGTERM closes gracefully and exits, so `--cpu-prof` gets written.
 */
async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: bridge.js <config file>');
  const bridge = await startBridge(loadConfig(file));
  const url = bridge.urls.http;
  if (!url) throw new Error('the bench config has no server.http listener');
  process.send?.({ url });
  process.once('SIGTERM', () => {
    const hard = setTimeout(() => process.exit(0), 2000);
    void bridge.close().finally(() => {
      clearTimeout(hard);
      process.exit(0);
    });
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`bench bridge: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
