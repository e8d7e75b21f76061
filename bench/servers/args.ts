/** Peer servers take `<backend url> <mount prefix>` and listen on a loopback port of their own. */
export function peerArgs(): { backend: string; prefix: string } {
  const [backend, prefix] = process.argv.slice(2);
  if (!backend || !prefix) throw new Error(`usage: ${process.argv[1]} <backend url> <prefix>`);
  return { backend, prefix };
}

export function reportUrl(port: number): void {
  process.send?.({ url: `http://127.0.0.1:${port}` });
  process.on('SIGTERM', () => process.exit(0));
}
