import { BridgeError } from '../../../src/errors/bridge-error';
import { rootPartRange } from '../../../src/soap/root-part';

const body = (s: string): Buffer => Buffer.from(s, 'latin1');

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof BridgeError) return e.message;
    throw e;
  }
  throw new Error('expected a BridgeError');
}

describe('rootPartRange', () => {
  const two = body('pre\r\n--b\r\nContent-ID: <a>\r\n\r\nfirst\r\n--b\r\nContent-ID: <r>\r\n\r\n<env/>\r\n--b--\r\n');

  it('finds the part named by start, else the first', () => {
    const named = rootPartRange(two, 'b', 'r');
    expect(two.subarray(named.from, named.to).toString()).toBe('<env/>');
    const first = rootPartRange(two, 'b', undefined);
    expect(two.subarray(first.from, first.to).toString()).toBe('first');
  });

  it('refuses a missing, empty or unterminated root part', () => {
    expect(refusal(() => rootPartRange(two, 'b', 'nope'))).toMatch(/no root part/);
    expect(refusal(() => rootPartRange(body('--b\r\n\r\n\r\n--b--\r\n'), 'b', undefined))).toMatch(/root part is empty/);
    expect(refusal(() => rootPartRange(body('--b\r\n\r\n<env/>'), 'b', undefined))).toMatch(/ended before the closing boundary/);
  });
});
