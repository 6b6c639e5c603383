// Hand-written, like nodes/shared: the credential of the Custom API node, which reads the spec it holds at run time.
import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { authenticateCustomApi } from '../nodes/CustomApi/authenticate';
import { settingFields, specFields } from '../nodes/CustomApi/credential-fields';

export class RillsCustomApi implements ICredentialType {
	name = 'rillsCustomApi';

	displayName = 'Rills Custom API';

	icon: Icon = { light: 'file:../nodes/CustomApi/customApi.svg', dark: 'file:../nodes/CustomApi/customApi.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-rills/n8n-nodes-rills/blob/main/docs/custom-api.md';

	properties: INodeProperties[] = [
		...specFields,
		{
			displayName: 'Authentication',
			name: 'authMethod',
			type: 'options',
			options: [
				{ name: 'API Key', value: 'apiKey', description: 'A static key or token sent in a header' },
				{ name: 'Basic Auth', value: 'basic', description: 'A username and password' },
				{ name: 'None', value: 'none', description: 'The API needs no authentication' },
			],
			default: 'apiKey',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authMethod: ['apiKey'] } },
		},
		{
			displayName: 'API Key Header Name',
			name: 'authHeader',
			type: 'string',
			default: 'Authorization',
			description: 'The header that carries the API key',
			displayOptions: { show: { authMethod: ['apiKey'] } },
		},
		{
			displayName: 'API Key Preamble',
			name: 'authPreamble',
			type: 'string',
			default: 'Bearer',
			description:
				'The word sent before the key ("Bearer" sends "Bearer [KEY]"). Leave empty to send the key alone.',
			displayOptions: { show: { authMethod: ['apiKey'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			displayOptions: { show: { authMethod: ['basic'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authMethod: ['basic'] } },
		},
		...settingFields,
	];

	authenticate = authenticateCustomApi;
}
