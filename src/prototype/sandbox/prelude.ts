/**
 * JavaScript evaluated inside the sandbox before the implementation: it defines `mc` (WSO2's
 * message-context API) and `console`, both over plain data handed in as one JSON string, and
 * returns the function the host calls afterwards to read what the script produced. Nothing of
 * the host is reachable from here but `hostLog`, which takes one string.
 *
 * The payload starts as the request body, as in WSO2: a script that never sets it echoes the
 * request.
 */
export const PRELUDE = String.raw`(function (inputJson, hostLog) {
  'use strict';
  // Kept before the script runs: a script that replaces JSON.* must not change what the host reads.
  var parse = JSON.parse, stringify = JSON.stringify;
  var input = parse(inputJson);
  var payload = { kind: input.kind, text: input.body };
  var props = Object.create(null);
  var outHeaders = Object.create(null);
  var logged = 0;
  function lower(name) { return String(name).toLowerCase(); }
  var mc = {
    getPayloadJSON: function () {
      if (payload.text === '') return null;
      if (payload.kind === 'xml') return null;
      try { return parse(payload.text); } catch (e) {
        if (payload.kind === 'json') throw new SyntaxError('the payload is not valid JSON: ' + e.message);
        return null;
      }
    },
    setPayloadJSON: function (value) {
      var text;
      if (typeof value === 'string') { parse(value); text = value; }
      else { text = stringify(value); if (text === undefined) text = 'null'; }
      payload = { kind: 'json', text: text };
    },
    getPayloadXML: function () {
      return payload.kind === 'xml' ? payload.text : null;
    },
    setPayloadXML: function (xml) {
      payload = { kind: 'xml', text: String(xml) };
    },
    getProperty: function (name) {
      name = String(name);
      if (Object.prototype.hasOwnProperty.call(props, name)) return props[name];
      return Object.prototype.hasOwnProperty.call(input.props, name) ? input.props[name] : null;
    },
    setProperty: function (name, value) {
      props[String(name)] = value === undefined || value === null ? null : String(value);
    },
    removeProperty: function (name) { delete props[String(name)]; },
    getHeader: function (name) {
      var v = input.headers[lower(name)];
      return v === undefined ? null : v;
    },
    setHeader: function (name, value) { outHeaders[lower(name)] = String(value); },
  };
  Object.freeze(mc);
  Object.defineProperty(globalThis, 'mc', { value: mc, writable: false, enumerable: true, configurable: false });
  var say = function () {
    if (logged++ >= 20) return;
    var parts = [];
    for (var i = 0; i < arguments.length; i++) {
      var a = arguments[i];
      try { parts.push(typeof a === 'string' ? a : stringify(a)); } catch (e) { parts.push(String(a)); }
    }
    hostLog(parts.join(' ').slice(0, 1000));
  };
  globalThis.console = Object.freeze({ log: say, info: say, warn: say, error: say, debug: say });
  return function collect() {
    var p = Object.create(null);
    for (var k in props) if (props[k] !== null) p[k] = props[k];
    return stringify({ kind: payload.kind, text: String(payload.text), props: p, headers: outHeaders });
  };
})`;
