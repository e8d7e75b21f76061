'use strict';
/**
 * The `soap` package's client calling Add with forceMTOM and one binary attachment, in a child
 * process: the client parses MTOM answers with a dynamic import() of formidable, which jest's
 * CommonJS runtime cannot run. Prints one JSON line: what the client sent (content type and body,
 * base64), the result, and the attachments it read from the answer (base64).
 *
 *   node mtom-client.js <wsdl url> <attachment file>
 */
const fs = require('node:fs');
const soap = require('soap');

class CapturingHttpClient extends soap.HttpClient {
  constructor(options) {
    super(options);
    this.sent = [];
  }

  buildRequest(rurl, data, exheaders, exoptions) {
    const options = super.buildRequest(rurl, data, exheaders, exoptions);
    // The ?wsdl GET has no body.
    if (options.data != null) this.sent.push({ contentType: String(options.headers['Content-Type']), body: Buffer.from(options.data).toString('base64') });
    return options;
  }
}

async function main() {
  const [wsdl, file] = process.argv.slice(2);
  // The client reads parseResponseAttachments from its HttpClient's options.
  const httpClient = new CapturingHttpClient({ parseResponseAttachments: true });
  const client = await soap.createClientAsync(wsdl, { httpClient, parseResponseAttachments: true });
  const attachment = { mimetype: 'application/octet-stream', contentId: 'att@client', name: 'blob.bin', body: fs.readFileSync(file) };
  const [result, , , , received] = await client.AddAsync({ intA: 2, intB: 40 }, { forceMTOM: true, attachments: [attachment] });
  process.stdout.write(
    JSON.stringify({
      sent: httpClient.sent,
      result,
      attachments: (received?.parts ?? []).map((p) => ({ headers: p.headers, body: Buffer.from(p.body).toString('base64') })),
    }) + '\n',
  );
}

main().catch((e) => {
  process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
