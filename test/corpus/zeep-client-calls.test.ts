import * as path from 'node:path';
import { describeClientCalls } from './client-calls';
import { describeWithPython } from '../interop/python';

/**
 * Real client envelopes, python zeep (the most used python SOAP client); see
 * describeClientCalls. zeep_call_all.py switches off zeep's request-side checks only, so that
 * calls without arguments go out; answers are read as zeep users read them (strict=False).
 */

/**
 * zeep does not look for soap:body inside mime:multipartRelated (SOAP with attachments), so it
 * sends these three with an empty Body, which neither the bridge nor the CXF service can tell
 * apart (all three have soapAction ""): the bridge refuses them.
 */
const REFUSED = new Set(['cxf-swa-mime|echoData', 'cxf-swa-mime|echoDataWithHeader', 'cxf-swa-mime|echoAllAttachmentTypes']);

/**
 * zeep cannot read a FormOfPayment holding a member of the group nested in its choice
 * (FormOfPaymentSequenceGroup: Check, AgencyPayment, DirectPayment, ...), whoever sends it:
 * `client.get_element('{http://www.travelport.com/schema/common_v52_0}FormOfPayment').parse()`
 * of a hand-written `<FormOfPayment Type="Cash"><Check/></FormOfPayment>` raises the same
 * TypeError (zeep's choice-kwargs family of bugs: python-zeep #253, #745, #1068), while
 * `<CreditCard/>`, a direct member of the choice, is read. The generated answers are valid
 * (xmllint validates them in prototype-generated-xsd.test.ts).
 */
const FORM_OF_PAYMENT = /FormOfPayment\(\) got an unexpected keyword argument/;
const CANNOT_READ = new Map(
  ['AirRefundTicketPortType', 'AirVoidDocumentPortType', 'AirRetrieveDocumentPortType', 'AirExchangeProcessPortType', 'EMDRetrievePortType'].map((pt) => [`travelport-air|${pt}.service`, FORM_OF_PAYMENT]),
);

describeClientCalls(describeWithPython('zeep', __filename), {
  client: 'zeep',
  script: path.join(__dirname, 'zeep_call_all.py'),
  timeoutMs: 60_000,
  refused: REFUSED,
  cannotRead: CANNOT_READ,
});
