import { SIGNING_SECRET_CREDENTIAL } from '../../nodes/shared/triggers/custom-webhook';
import type { EmittedFile } from './files';
import { code, header, literal } from './literal';
import { labelled, type Namespace } from './names';

const SOURCE = 'scripts/emit/trigger-custom-webhook.ts';
const ICON = { light: 'customWebhook.svg', dark: 'customWebhook.dark.svg' };

/** The generic Custom Webhook trigger and its signing-secret credential; part of the catalog. */
export function emitCustomWebhook(ns: Namespace): EmittedFile[] {
	const credentialClass = SIGNING_SECRET_CREDENTIAL[0].toUpperCase() + SIGNING_SECRET_CREDENTIAL.slice(1);
	const hmac = { displayOptions: { show: { verification: ['hmac'] } } };
	const plain = { displayOptions: { show: { verification: ['hmac'], headerFormat: ['plain'] } } };
	const keyValue = { displayOptions: { show: { verification: ['hmac'], headerFormat: ['keyValue'] } } };
	const description = {
		displayName: labelled(ns, 'Custom Webhook Trigger'),
		name: 'customWebhookTrigger',
		icon: { light: `file:${ICON.light}`, dark: `file:${ICON.dark}` },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["verification"] === "hmac" ? "Verifies signatures" : "Accepts every delivery"}}',
		description: 'Starts the workflow when any service posts an event, optionally verifying its HMAC signature',
		defaults: { name: 'Custom Webhook Trigger' },
		inputs: [],
		outputs: [code('NodeConnectionTypes.Main')],
		credentials: [{ name: SIGNING_SECRET_CREDENTIAL, required: true, testedBy: 'testSigningSecret', ...hmac }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'events' }],
		properties: [
			{
				displayName: 'Signature Verification',
				name: 'verification',
				type: 'options',
				options: [
					{
						name: 'HMAC Signature',
						value: 'hmac',
						description: 'Reject deliveries (401) whose signature is missing, wrong or too old',
					},
					{ name: 'None', value: 'none', description: 'Accept every delivery' },
				],
				default: 'hmac',
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
			{
				displayName: 'Signature Header',
				name: 'signatureHeader',
				type: 'string',
				default: 'X-Signature',
				...hmac,
			},
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
		],
	};
	const credential = {
		name: SIGNING_SECRET_CREDENTIAL,
		displayName: labelled(ns, 'Webhook Signing Secret API'),
		icon: { light: `file:../nodes/CustomWebhook/${ICON.light}`, dark: `file:../nodes/CustomWebhook/${ICON.dark}` },
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
	return [
		{
			path: 'nodes/CustomWebhook/CustomWebhookTrigger.node.ts',
			content: `${header(SOURCE)}import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { manualRegistration, receiveCustomEvent, testSigningSecret } from '../shared/triggers/custom-webhook';

export class CustomWebhookTrigger implements INodeType {
	description: INodeTypeDescription = ${literal(description, '\t')};

	methods = { credentialTest: { testSigningSecret } };

	webhookMethods = manualRegistration;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveCustomEvent.call(this);
	}
}
`,
		},
		{
			path: `credentials/${credentialClass}.credentials.ts`,
			content: `${header(SOURCE)}import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

export class ${credentialClass} implements ICredentialType {
${Object.entries(credential)
	.map(
		([k, v]) =>
			`\t${k}${k === 'properties' ? ': INodeProperties[]' : k === 'icon' ? ': Icon' : ''} = ${literal(v, '\t')};`,
	)
	.join('\n\n')}
}
`,
		},
		{ path: `nodes/CustomWebhook/${ICON.light}`, content: icon('#3b5bdb', '#fff') },
		{ path: `nodes/CustomWebhook/${ICON.dark}`, content: icon('#91a7ff', '#111') },
	];
}

function icon(fill: string, stroke: string): string {
	return `<!-- Generated by n8n-rills from ${SOURCE}. -->
<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60" viewBox="0 0 60 60"><rect width="60" height="60" rx="12" fill="${fill}"/><path d="M22 38a8 8 0 1 1 6-13l6 10M38 38a8 8 0 1 1-4-15M30 19l-8 13h16" fill="none" stroke="${stroke}" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>
`;
}
