/**
 * Violations the spec causes itself (its own example breaks its own schema): each with the spec's
 * words, so the table can tell them from the generator's.
 */
export interface Explanation {
	/** The spec's id, or ids alike for a pattern many specs share. */
	spec: string | RegExp;
	/** Matched against `METHOD url message`. */
	match: RegExp;
	/** Matched against the path of the spec's operation the request was for, when the URL cannot tell. */
	operation?: RegExp;
	/** The spec's text that contradicts itself. */
	words: string;
	why: string;
}

const README = 'oas-examples/';

export const EXPLAINED: Explanation[] = [
	{
		spec: `${README}3.0/json/request-examples.json`,
		match: /^(PUT|PATCH) \/requestBody-primitive-example .*must be (array|object)/,
		words: '"schema": {"$ref": "#/components/schemas/pets"}, "examples": {"cat": {"value": "[\\n  {\\n    \\"name\\": \\"Fluffy\\", …"}} — "an example … containing stringified JSON object"',
		why: 'the example is a string holding JSON text, while the schema is an array (PUT) or an object (PATCH).',
	},
	{
		spec: `${README}3.0/json/schema-types.json`,
		match: /^POST \/anything\/arrays .*with overall `null` default.*must be array/,
		words: '"array<string> (with overall `null` default)": {"type": "array", "items": {"type": "string"}, "default": null}',
		why: 'the default is null, which the schema (an array, not nullable) does not allow.',
	},
	{
		spec: `${README}3.1/json/train-travel.json`,
		match: /^POST \/bookings .*trip_id must match format "uuid"/,
		words: '"trip_id": {"type": "string", "format": "uuid", "examples": ["4f4e4e1-c824-4d63-b37a-d8d698862f1d"]}',
		why: 'the example has seven hex digits in its first group, so it is not the UUID the format asks for.',
	},
	{
		spec: `${README}2.0/json/petstore.json`,
		match: /^POST \/(store\/order|user\/createWithArray) .*No supported content types/,
		words: '"parameters": [{"in": "body", "name": "body", "required": true, …}] with no "consumes", here or at the top',
		why: 'the operation takes a required body but names no media type it accepts, so every body is refused.',
	},
	{
		spec: 'amadeus.com',
		match: /^(GET|POST) \/shopping\/flight-offers.*(departuredate|departureDateTimeRange\.date) must match format "date"$/,
		words: '"departureDate": {"description": "… YYYY-MM-DD format, e.g. 2017-12-25", "example": "2025-10-15T13:51:00.230Z", "schema": {"format": "date"}}; "dateTimeRange": {"date": {"example": "2025-10-15T13:51:00.231Z", "format": "date"}}',
		why: 'the examples are date-times, while the format (and the description) ask for a date.',
	},
	{
		spec: 'amadeus.com',
		match: /^POST \/shopping\/flight-offers .*departureDateTimeRange\.time must be string$/,
		words: '"time": {"description": "Local time. hh:mm:ss format, e.g 10:30:00", "example": 37800, "type": "string"}',
		why: 'the example is a number, while the schema asks for a string.',
	},
	{
		spec: 'nrel.gov/transportation-incentives-laws',
		match: /^GET \/api\/transportation-incentives-laws\/v1\/(category-list|pocs)\.json.* path\.id .*must be integer$/,
		words: '"paths": {"/v1/category-list.{output_format}": …, "/v1/pocs.{output_format}": …, "/v1/{id}.{output_format}": …}',
		why: '/v1/category-list.json and /v1/pocs.json each match two templated paths; OpenAPI puts only concrete paths before templated ones, so which operation they are stays open, and the mock takes them for /v1/{id}.',
	},
	{
		spec: 'vonage.com/vgis',
		match: /^GET \/self\/(calls|events)\?.* (direction|states) must be equal to one of the allowed values/,
		words: '"direction": {"description": "… For multiple criteria, seperate values by a comma.", "schema": {"enum": ["INBOUND", "OUTBOUND"], "example": "INBOUND,OUTBOUND", "type": "string"}}',
		why: 'the example (and the description) join several values with commas, while the schema is one string of the enum.',
	},
	{
		spec: 'tomtom.com/routing',
		match: /^POST \/routing\/1\/calculate(Route|ReachableRange)\/.*[. ](latitude|longitude) must be string$/,
		words: '"example": {"avoidAreas": {"rectangles": [{"northEastCorner": {"latitude": 48.90309, "longitude": 2.41115}, …}]}, "supportingPoints": [{"latitude": 52.5093, "longitude": 13.42936}, …]}, while "northEastCorner": {"properties": {"latitude": {"type": "string"}, "longitude": {"type": "string"}}} and "supportingPoints": {"items": {"properties": {"latitude": {"type": "string"}, …}}}',
		why: 'the body example gives coordinates as numbers, while the schema makes them strings.',
	},
	{
		spec: /^amazonaws\.com\//,
		match: /^[A-Z]+ \/\S* path Request path must have required property '\w+'$/,
		operation: /\{\w+\}[^#]*#/,
		words: '"/tags/{resourceArn}#tagKeys": {"delete": …}; "/portals/{portalArn}/browserSettings#browserSettingsArn": {"put": …}',
		why: 'a path with a fragment cannot be requested as written (a fragment never reaches the server), and the mock, matching it literally, cannot read the path variable before the fragment, whatever its value.',
	},
	{
		spec: 'codat.io/accounting',
		match: /^POST \/companies\/[^/]+\/connections\/[^/]+\/push\/bills\?.* body\.currency .*currency must be null$/,
		words: '"Bill": {"properties": {"currency": {"allOf": [{"$ref": "#/components/schemas/Transfer/definitions/transferAccount/properties/currency"}, {"type": "null"}]}}}, where that currency is {"type": "string", "examples": ["GBP", "USD", "EUR"]}',
		why: 'the currency must be a string (its examples are codes like GBP) and null at once, which no value is.',
	},
	{
		spec: 'amazonaws.com/elasticloadbalancingv2',
		match: /^GET \/\?.*Action=(AddListenerCertificates|AddTags)&.* query Request query must have required property '(certificates|tags)'$/,
		words: '"Certificates": {"in": "query", "required": true, "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Certificate"}}}, "Certificate": {"type": "object", "properties": {"CertificateArn": …, "IsDefault": …}}; "Tags": {"in": "query", "required": true, "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}}',
		why: 'a required query parameter is a list of objects, which no OpenAPI style writes into a URL (form style covers lists of primitive values; for nested objects and arrays the behaviour is undefined), so no request carries it as the spec describes.',
	},
];
