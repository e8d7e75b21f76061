import path from 'node:path';
import { compileModel, loadBundle, type WsdlModel } from '../../../src/wsdl';
import { HttpBindingRoutes } from '../../../src/soap/http-bindings';

const fixture = (...p: string[]): string => path.join(__dirname, '..', '..', 'fixtures', 'wsdl', ...p);

describe('HttpBindingRoutes', () => {
  it('reads the verb and locations of the HTTP ports; a WSDL without them has none', async () => {
    const weather = compileModel(await loadBundle(fixture('http-bindings', 'Weather.wsdl')));
    expect(weather.bindings.filter((b) => b.protocol === 'http').map((b) => [b.httpVerb, b.operations.map((o) => o.httpLocation)])).toEqual([
      ['GET', ['/GetWeather']],
      ['POST', ['/GetWeather']],
    ]);
    const routes = HttpBindingRoutes.of(weather)!;
    expect(routes.match('GET', '/GetWeather')).toEqual({ route: { verb: 'GET', location: '/GetWeather' } });
    expect(routes.match('HEAD', '/GetWeather')).toEqual({ route: { verb: 'GET', location: '/GetWeather' } });
    expect(routes.match('POST', '/GetWeather')).toEqual({ route: { verb: 'POST', location: '/GetWeather' } });
    expect(routes.match('DELETE', '/GetWeather')).toEqual({ allowed: ['GET', 'POST'] });
    expect(routes.match('GET', '/GetWeather/x')).toBeUndefined();
    expect(routes.match('GET', '/getweather')).toBeUndefined();
    expect(HttpBindingRoutes.of(compileModel(await loadBundle(fixture('calculator', 'Calculator.wsdl'))))).toBeNull();
  });

  it('a location with (part) (http:urlReplacement) takes one path segment there', () => {
    const model = {
      services: [{ name: '{urn:x}S', ports: [{ name: 'P', binding: '{urn:x}B', address: 'http://h/x', protocol: 'http', soapVersion: null }] }],
      bindings: [{ name: '{urn:x}B', portType: '{urn:x}T', protocol: 'http', soapVersion: null, style: 'document', transport: null, httpVerb: 'GET', operations: [{ name: 'Get', soapAction: '', style: 'document', input: null, output: null, faults: [], httpLocation: 'Forecast/(city)/(days)' }] }],
    } as unknown as WsdlModel;
    const routes = HttpBindingRoutes.of(model)!;
    expect(routes.match('GET', '/Forecast/Oslo/3')).toEqual({ route: { verb: 'GET', location: '/Forecast/(city)/(days)' } });
    expect(routes.match('GET', '/Forecast/Oslo')).toBeUndefined();
    expect(routes.match('GET', '/Forecast/a/b/c')).toBeUndefined();
  });
});
