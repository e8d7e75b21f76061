/** OpenAPI 3.1 for the REST facade (schemas from the XSD, see src/facade/README.md). */
export { openapiDocument, type OpenApiOptions } from './document';
export { SchemaGenerator, type JsonSchema } from './json-schema';
