<?php
/*
 * Describes WSDLs the way PHP's SoapClient sees them, for test/corpus/php-wsdl-from-bridge.test.ts.
 *
 * usage: php php_describe.php FILE-OR-URL
 * Prints {"functions": [...], "types": [...]} (SoapClient's __getFunctions / __getTypes) or
 * {"error": MESSAGE}. One WSDL per process: PHP 8.2 crashes on some schemas (recursive group
 * references), which must cost that WSDL only. Nothing but loopback is ever fetched: any other
 * URL fails the load (test traffic stays on 127.0.0.1).
 */
libxml_set_external_entity_loader(function ($public, $system, $context) {
  $host = parse_url((string) $system, PHP_URL_HOST);
  return $host === null || in_array($host, ['127.0.0.1', 'localhost'], true) ? $system : null;
});

try {
  $client = new SoapClient($argv[1], ['cache_wsdl' => WSDL_CACHE_NONE, 'exceptions' => true]);
  $out = ['functions' => $client->__getFunctions(), 'types' => $client->__getTypes()];
} catch (Throwable $e) { // SoapFault for a WSDL it refuses; the test compares outcomes
  $out = ['error' => get_class($e) . ': ' . substr($e->getMessage(), 0, 300)];
}
echo json_encode($out), "\n";
