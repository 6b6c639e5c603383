// Hand-written, like nodes/shared: the Custom API node's credential for an API that signs in with OAuth2.
import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { settingFields, specFields } from '../nodes/CustomApi/credential-fields';

export class RillsCustomOAuth2Api implements ICredentialType {
	name = 'rillsCustomOAuth2Api';

	displayName = 'Rills Custom OAuth2 API';

	icon: Icon = { light: 'file:../nodes/CustomApi/customApi.svg', dark: 'file:../nodes/CustomApi/customApi.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-rills/n8n-nodes-rills/blob/main/docs/custom-api.md';

	extends = ['oAuth2Api'];

	properties: INodeProperties[] = [
		...specFields,
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'Authorization Code', value: 'authorizationCode' },
				{ name: 'Client Credentials', value: 'clientCredentials' },
			],
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.example.com/oauth/authorize',
			displayOptions: { show: { grantType: ['authorizationCode'] } },
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.example.com/oauth/token',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: '',
			description: 'The scopes to ask for, separated by spaces, as the API names them',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'string',
			default: '',
			placeholder: 'access_type=offline',
			description: 'Extra query parameters of the authorization URL, e.g. access_type=offline for a refresh token',
			displayOptions: { show: { grantType: ['authorizationCode'] } },
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'Body', value: 'body', description: 'Client ID and secret sent in the token request body' },
				{ name: 'Header', value: 'header', description: 'Client ID and secret sent as basic auth' },
			],
			default: 'header',
		},
		...settingFields,
	];
}
