<?php
/*
 * Calls the Calculator with PHP's SoapClient, for test/interop/php-soap-client.test.ts.
 *
 * usage: php php_calculator.php WSDL_URL 1.1|1.2 DIRECT_URL
 * Loads the WSDL from WSDL_URL (the bridge) and calls through the address it holds, then calls
 * the same operations at DIRECT_URL (the backend itself) with the same description; prints JSON.
 * Only loopback is ever fetched (test traffic stays on 127.0.0.1).
 */
libxml_set_external_entity_loader(function ($public, $system, $context) {
  $host = parse_url((string) $system, PHP_URL_HOST);
  return $host === null || in_array($host, ['127.0.0.1', 'localhost'], true) ? $system : null;
});

function calls(SoapClient $c): array {
  $out = [
    'Add' => $c->Add(['intA' => 2, 'intB' => 40])->AddResult,
    'Multiply' => $c->Multiply(['intA' => 6, 'intB' => 7])->MultiplyResult,
    'DivideByZero' => null,
  ];
  try {
    $c->Divide(['intA' => 1, 'intB' => 0]);
  } catch (SoapFault $f) {
    $out['DivideByZero'] = ['fault' => $f->getMessage(), 'code' => $f->faultcode];
  }
  $out['requestHeaders'] = $c->__getLastRequestHeaders();
  return $out;
}

[, $wsdl, $version, $direct] = $argv;
$options = ['cache_wsdl' => WSDL_CACHE_NONE, 'trace' => true, 'exceptions' => true, 'soap_version' => $version === '1.2' ? SOAP_1_2 : SOAP_1_1];
$viaBridge = calls(new SoapClient($wsdl, $options));
$directCalls = calls(new SoapClient($wsdl, $options + ['location' => $direct]));
echo json_encode(['viaBridge' => $viaBridge, 'direct' => $directCalls]), "\n";
