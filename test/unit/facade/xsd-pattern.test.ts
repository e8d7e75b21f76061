import { compilePattern, unicodePattern } from '../../../src/facade/simple-value';

/**
 * XSD patterns as JSON Schema `pattern`s: ECMA-262 source that compiles with the `u` flag, which
 * JSON Schema validators use (ajv refused `[A-Z]{2}\-[1-9]` from a real SAP WSDL outright).
 */
describe('unicodePattern', () => {
  test.each([
    ['[A-Z]{2}\\-[1-9][0-9]?', '[A-Z]{2}-[1-9][0-9]?', ['DE-1'], ['DE1']],
    ['[a\\-z]+', '[a\\-z]+', ['a-z'], ['b']],
    ['\\"x\\"', '"x"', ['"x"'], ['x']],
    // XSD has no anchors: ^ and $ are plain characters.
    ['$5', '\\$5', ['$5'], ['5']],
    ['a^b', 'a\\^b', ['a^b'], ['ab']],
    ['[^abc]+', '[^abc]+', ['xyz'], ['abc']],
    ['\\i\\c*', '[A-Za-z_:][-A-Za-z0-9._:]*', ['a.b-c'], ['1a']],
    ['\\p{Lu}\\d\\.\\d', '\\p{Lu}\\d\\.\\d', ['Ä1.2'], ['a1.2']],
  ])('%s → %s', (xsd, ecma, accepted, refused) => {
    expect(unicodePattern(xsd)).toBe(ecma);
    const re = new RegExp(`^(?:${ecma})$`, 'u');
    for (const v of accepted) expect([v, re.test(v), compilePattern(xsd)?.test(v)]).toEqual([v, true, true]);
    for (const v of refused) expect([v, re.test(v), compilePattern(xsd)?.test(v)]).toEqual([v, false, false]);
  });

  test('class subtraction has no ECMA-262 form: no pattern rather than a wrong one', () => {
    expect(unicodePattern('[a-z-[aeiou]]')).toBeNull();
    expect(compilePattern('[a-z-[aeiou]]')).toBeNull();
  });
});
