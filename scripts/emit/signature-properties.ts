import type { EmittedFile } from './files';
import { header, literal } from './literal';
import { labelled, type Namespace } from './names';

type Property = Record<string, unknown>;
type Show = Record<string, string[]>;

/**
 * Node parameters describing a signature the user configures (read by
 * nodes/shared/triggers/node-signature.ts), shown where `show` holds. The default verifies:
 * accepting unsigned deliveries is a choice the panel warns about.
 */
export function signatureProperties(show: Show = {}): Property[] {
	const when = (extra: Show = {}) => ({ displayOptions: { show: { ...show, ...extra } } });
	const hmac = when({ verification: ['hmac'] });
	const plain = when({ verification: ['hmac'], headerFormat: ['plain'] });
	const keyValue = when({ verification: ['hmac'], headerFormat: ['keyValue'] });
	return [
		{
			displayName: 'Verify Signature',
			name: 'verification',
			type: 'options',
			options: [
				{
					name: 'HMAC Signature',
					value: 'hmac',
					description: 'Reject deliveries (401) whose signature is missing, wrong or too old',
				},
				{
					name: 'None (Accept Unsigned Deliveries)',
					value: 'none',
					description: 'Anyone who knows the URL can start the workflow',
				},
			],
			default: 'hmac',
			...(Object.keys(show).length ? when() : {}),
		},
		{
			displayName:
				'Unsigned deliveries are accepted: anyone who learns this URL can start the workflow with any data. Verify signatures unless the URL is private.',
			name: 'unsignedNotice',
			type: 'notice',
			default: '',
			...when({ verification: ['none'] }),
		},
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			options: ['sha1', 'sha256', 'sha512'].map((a) => ({
				name: a.toUpperCase().replace('SHA', 'SHA-'),
				value: a,
			})),
			default: 'sha256',
			...hmac,
		},
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			options: [
				{ name: 'Hex', value: 'hex' },
				{ name: 'Base64', value: 'base64' },
			],
			default: 'hex',
			...hmac,
		},
		{ displayName: 'Signature Header', name: 'signatureHeader', type: 'string', default: 'X-Signature', ...hmac },
		{
			displayName: 'Header Format',
			name: 'headerFormat',
			type: 'options',
			options: [
				{ name: 'Signature Only', value: 'plain', description: 'Example: sha256=5257a8…' },
				{
					name: 'Key=Value Pairs',
					value: 'keyValue',
					description: 'Example: t=1492774577,v1=5257a8… (Stripe)',
				},
			],
			default: 'plain',
			...hmac,
		},
		{
			displayName: 'Signature Prefix',
			name: 'signaturePrefix',
			type: 'string',
			default: '',
			placeholder: 'sha256=',
			...plain,
		},
		{
			displayName: 'Timestamp Header',
			name: 'timestampHeader',
			type: 'string',
			default: '',
			description: 'Header with the delivery time (epoch seconds); empty when the service sends none',
			...plain,
		},
		{ displayName: 'Signature Key', name: 'signatureKey', type: 'string', default: 'v1', ...keyValue },
		{ displayName: 'Timestamp Key', name: 'timestampKey', type: 'string', default: 't', ...keyValue },
		{
			displayName: 'Signed Payload',
			name: 'signedPayload',
			type: 'string',
			default: '{body}',
			description:
				'What the service signs: {body} is the raw body, {timestamp} the delivery time, e.g. {timestamp}.{body}',
			...hmac,
		},
		{
			displayName: 'Tolerance (Seconds)',
			name: 'toleranceSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300,
			description: 'Deliveries with a timestamp further from now are treated as replays',
			...hmac,
		},
		{
			displayName: 'Delivery ID Header',
			name: 'deliveryHeader',
			type: 'string',
			default: '',
			placeholder: 'X-Delivery-ID',
			description:
				'Header with an ID unique to each delivery: one seen before is refused as a replay. Set it when the service signs no timestamp.',
			...hmac,
		},
	];
}

/** Where a delivery carries its event type, for a trigger whose definition does not say. */
export function eventLocationProperties(show: Show = {}): Property[] {
	const when = (extra: Show = {}) =>
		Object.keys({ ...show, ...extra }).length ? { displayOptions: { show: { ...show, ...extra } } } : {};
	return [
		{
			displayName: 'Event Type In',
			name: 'eventIn',
			type: 'options',
			options: [
				{ name: 'Body Field', value: 'body' },
				{ name: 'Header', value: 'header' },
			],
			default: 'body',
			description: 'Where a delivery names its event; deliveries of events not picked start nothing',
			...when(),
		},
		{
			displayName: 'Event Type Field',
			name: 'eventName',
			type: 'string',
			required: true,
			default: 'type',
			placeholder: 'event.type',
			description: 'Path in the JSON body, or the header name, whose value is one of the Events above',
			...when(),
		},
	];
}

/**
 * The credential holding a signing secret the user copies from the sending service, so it is kept
 * encrypted with the other credentials, never in the workflow. `iconFolder` is relative to credentials/.
 */
export function signingCredentialFile(
	ns: Namespace,
	iconFolder: string,
	icons: { light: string; dark: string },
	source: string,
): EmittedFile {
	const name = signingCredentialName(ns);
	const className = name[0].toUpperCase() + name.slice(1);
	const credential = {
		name,
		displayName: labelled(ns, 'Webhook Signing Secret API'),
		icon: { light: `file:${iconFolder}/${icons.light}`, dark: `file:${iconFolder}/${icons.dark}` },
		documentationUrl: 'https://github.com/n8n-nodes-rills/n8n-nodes-rills#readme',
		properties: [
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description: 'The secret the sending service signs deliveries with',
			},
		],
	};
	const members = Object.entries(credential)
		.map(
			([k, v]) =>
				`\t${k}${{ properties: ': INodeProperties[]', icon: ': Icon' }[k] ?? ''} = ${literal(v, '\t')};`,
		)
		.join('\n\n');
	return {
		path: `credentials/${className}.credentials.ts`,
		content: `${header(source)}import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';\n\nexport class ${className} implements ICredentialType {\n${members}\n}\n`,
	};
}

/** `rills` → `rillsWebhookSigningSecretApi`: namespaced like every credential type the package has. */
export function signingCredentialName(ns: Namespace): string {
	return `${ns.prefix}WebhookSigningSecretApi`;
}
