const USAGE = `usage: soapbridge <command> [options]

commands:
  start [--config FILE] [--workers N]       run the gateway (default config: config/soapbridge.yaml)
  validate [--config FILE]                  check the config and every API; exit 1 on any problem
  import SOURCE --name NAME [--context /x] [--version v1] [--config FILE]
                                            import a WSDL (file, http(s) URL or .zip) as an API
  openapi NAME [--config FILE]              print the OpenAPI 3.1 document of an API's REST facade
`;

export type Command = (argv: string[]) => Promise<number>;

// Each command loads only its own modules: `import` and `openapi` need neither express nor the
// gateway, which would add ≈ 100 ms to every run of a short-lived command.
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start')).runStart,
  validate: async () => (await import('./validate')).runValidate,
  import: async () => (await import('./import')).runImport,
  openapi: async () => (await import('./openapi')).runOpenapi,
};

/** Entry point of the `soapbridge` binary; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const load = COMMANDS[cmd];
  if (!load) {
    process.stderr.write(`soapbridge: unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (e) {
    process.stderr.write(`soapbridge ${cmd}: ${(e as Error).message}\n`);
    return 1;
  }
}
