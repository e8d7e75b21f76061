<?php
/*
 * Calls every operation of a WSDL with PHP's SoapClient, for test/corpus/php-client-calls.test.ts.
 *
 * usage: php php_call_all.php WSDL_URL 1.1|1.2
 * Loads the WSDL (the bridge's ?wsdl) and calls each operation SoapClient lists, once, with no
 * arguments, at the address the WSDL holds. Prints {"calls": [{"op": NAME, "sent": bool,
 * "error": MESSAGE|null}]} or {"error": MESSAGE}: "sent" says whether a request went out
 * (SoapClient refuses to build some requests itself, e.g. a required element with no value).
 * Nothing but loopback is ever fetched or called.
 */
libxml_set_external_entity_loader(function ($public, $system, $context) {
  $host = parse_url((string) $system, PHP_URL_HOST);
  return $host === null || in_array($host, ['127.0.0.1', 'localhost'], true) ? $system : null;
});

/** Counts the requests that actually went out; sends nothing off loopback (a non-SOAP port's address). */
class CountingClient extends SoapClient {
  public int $sent = 0;
  public function __doRequest(string $request, string $location, string $action, int $version, bool $oneWay = false): ?string {
    if (!in_array(parse_url($location, PHP_URL_HOST), ['127.0.0.1', 'localhost'], true)) throw new Exception("not sent (off loopback): $location");
    $this->sent++;
    return parent::__doRequest($request, $location, $action, $version, $oneWay);
  }
}

try {
  $client = new CountingClient($argv[1], ['cache_wsdl' => WSDL_CACHE_NONE, 'exceptions' => true, 'trace' => true,
    'soap_version' => ($argv[2] ?? '1.1') === '1.2' ? SOAP_1_2 : SOAP_1_1, 'connection_timeout' => 10]);
} catch (Throwable $e) {
  echo json_encode(['error' => get_class($e) . ': ' . substr($e->getMessage(), 0, 300)]), "\n";
  exit(0);
}
$calls = [];
$done = [];
foreach ($client->__getFunctions() as $signature) {
  if (!preg_match('/^\S+\s+(\w+)\(/', $signature, $m) && !preg_match('/^list\(.*\)\s+(\w+)\(/', $signature, $m)) continue;
  $op = $m[1];
  if (isset($done[$op])) continue;
  $done[$op] = true;
  $before = $client->sent;
  $error = null;
  try {
    $client->__soapCall($op, []);
  } catch (Throwable $e) {
    $error = substr($e->getMessage(), 0, 200);
  }
  $calls[] = ['op' => $op, 'sent' => $client->sent > $before, 'error' => $error];
}
echo json_encode(['calls' => $calls]), "\n";
