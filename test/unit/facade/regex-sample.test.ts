import { sampleForPattern } from '../../../src/facade/regex-sample';

describe('sampleForPattern', () => {
  test.each([
    ['[A-Z]{2}\\d{3,5}'],
    ['\\d{5}(-\\d{4})?'],
    ['(\\+|-)?[0-9]+'],
    ['[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}'],
    ['[^0-9]{3}'],
    ['([A-Z]{3}|[a-z]{2})-x'],
    ['\\p{Lu}+'],
  ])('%s gives a matching string', (p) => {
    const s = sampleForPattern(p);
    expect(s).not.toBeNull();
    expect(new RegExp(`^(?:${p})$`, 'u').test(s as string)).toBe(true);
  });
});
