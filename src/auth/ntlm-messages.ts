/**
 * Typed access to the NTLM message code of axios-ntlm (lib/ntlm.js, from node-ntlm-client):
 * Type 1 (negotiate), Type 2 (challenge) decoding and Type 3 (authenticate, NTLMv2 when the
 * server sends target info). We use the messages, not axios-ntlm's axios client: its retry
 * relies on a shared keep-alive agent handing the same socket back, which concurrent requests
 * break, and its responses are not our streaming BackendResponse.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
import ntlmLib = require('axios-ntlm/lib/ntlm');

export interface Type2Message {
  readonly flags: number;
  readonly encoding: string;
  readonly version: number;
  readonly challenge: Buffer;
  readonly targetName: string;
}

export function negotiateHeader(workstation: string | undefined, domain: string | undefined): string {
  return ntlmLib.createType1Message(workstation, domain);
}

/** Decodes the `NTLM <base64>` challenge; throws on anything that is not a Type 2 message. */
export function decodeChallenge(token68: string): Type2Message {
  const m: unknown = ntlmLib.decodeType2Message(token68);
  if (typeof m !== 'object' || m === null || !Buffer.isBuffer((m as { challenge?: unknown }).challenge)) throw new Error('not an NTLM Type 2 message');
  return m as Type2Message;
}

export function authenticateHeader(challenge: Type2Message, username: string, password: string, workstation: string | undefined, domain: string | undefined): string {
  return ntlmLib.createType3Message(challenge, username, password, workstation, domain);
}
