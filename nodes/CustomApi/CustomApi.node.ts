// Hand-written, like nodes/shared: one node for every API an admin brings as a spec in a Rills Custom API credential.
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { Integration, Operation } from '../../scripts/model/types';
import { runOperations } from '../shared/execute';
import type { CompiledSpec } from './compile';
import { compileCredentialSpec, n8nDownload } from './spec-source';
import { LIST_PREFIX, mapperFields, RAW_BODY, withMappedParameters } from './fields';
import {
	adminPagination,
	credentialTypeOf,
	OAUTH2_CREDENTIAL_TYPE,
	renamerOf,
	settingProblems,
	tableFor,
	withAdminPagination,
} from './settings';
import { testCustomApi } from './credential-test';

export class CustomApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Rills Custom API',
		name: 'customApi',
		icon: { light: 'file:customApi.svg', dark: 'file:customApi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Call any API an admin added as an OpenAPI spec in a Rills Custom API credential',
		defaults: { name: 'Custom API' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'rillsCustomApi',
				required: true,
				testedBy: 'rillsCustomApiTest',
				displayOptions: { show: { authentication: ['customApi'] } },
			},
			{
				name: 'rillsCustomOAuth2Api',
				required: true,
				testedBy: 'rillsCustomApiTest',
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'API Key, Basic Auth or None', value: 'customApi' },
					{ name: 'OAuth2', value: 'oAuth2' },
				],
				default: 'customApi',
			},
			{
				displayName: 'Resource Name or ID',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				typeOptions: { loadOptionsMethod: 'getResources' },
				default: '',
				description:
					'A group of actions (a tag of the spec). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Operation Name or ID',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				typeOptions: { loadOptionsMethod: 'getOperations', loadOptionsDependsOn: ['resource'] },
				default: '',
				description:
					'The action to run. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Fields',
				name: 'fields',
				type: 'resourceMapper',
				noDataExpression: true,
				default: { mappingMode: 'defineBelow', value: null },
				required: true,
				typeOptions: {
					loadOptionsDependsOn: ['resource', 'operation'],
					resourceMapper: {
						resourceMapperMethod: 'getFields',
						mode: 'add',
						fieldWords: { singular: 'field', plural: 'fields' },
						addAllFields: false,
						multiKeyMatch: false,
						supportAutoMap: false,
						noFieldsError: 'This action takes no parameters',
					},
				},
			},
			{
				displayName: 'Body (JSON)',
				name: RAW_BODY,
				type: 'json',
				default: '',
				description:
					'The whole request body as JSON, for actions that send one; body fields set above are added to it',
			},
			{
				displayName: 'Return All',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				description: 'Whether to return all results or only up to a given limit',
				displayOptions: { show: { operation: [{ _cnd: { startsWith: LIST_PREFIX } }] } },
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50,
				description: 'Max number of results to return',
				displayOptions: { show: { operation: [{ _cnd: { startsWith: LIST_PREFIX } }], returnAll: [false] } },
			},
		],
	};

	methods = {
		loadOptions: {
			async getResources(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const { integration } = await specOf.call(this);
				return integration.resources
					.map((r) => ({ name: r.displayName, value: r.name, description: r.description }))
					.sort((a, b) => a.name.localeCompare(b.name));
			},
			async getOperations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const { integration, credentials } = await specOf.call(this);
				const rename = renamerOf(credentials);
				const resource = integration.resources.find((r) => r.name === this.getCurrentNodeParameter('resource'));
				return (resource?.operations ?? [])
					.map((op) => ({
						name: rename(op.displayName),
						value: (op.list ? LIST_PREFIX : '') + op.name,
						description: `${op.method} ${op.path}${op.action !== op.displayName ? `: ${op.action}` : ''}`,
					}))
					.sort((a, b) => a.name.localeCompare(b.name));
			},
		},
		resourceMapping: {
			async getFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
				const { integration } = await specOf.call(this);
				const op = operationOf(
					integration,
					String(this.getCurrentNodeParameter('resource') ?? ''),
					String(this.getCurrentNodeParameter('operation') ?? ''),
				);
				return { fields: op ? mapperFields(op) : [] };
			},
		},
		credentialTest: {
			async rillsCustomApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return testCustomApi(credential.data ?? {}, credential.type === OAUTH2_CREDENTIAL_TYPE);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentialType = credentialTypeOf(this.getNodeParameter('authentication', 0, 'customApi'));
		const credentials = await this.getCredentials(credentialType, 0);
		const compiled = usable(await compileCredentialSpec(credentials, n8nDownload(this.helpers)), this);
		const resource = this.getNodeParameter('resource', 0) as string;
		const operationName = (this.getNodeParameter('operation', 0) as string).replace(LIST_PREFIX, '');
		const op = operationOf(compiled.integration, resource, operationName);
		if (!op)
			throw new NodeOperationError(this.getNode(), `The spec has no action "${operationName}" in "${resource}"`, {
				description: 'The credential now holds another spec: pick the resource and action again.',
			});
		const key = `${resource}:${op.name}`;
		const problems = settingProblems(credentials, compiled.table);
		if (problems.length)
			throw new NodeOperationError(this.getNode(), `The Custom API credential: ${problems[0].message}`, {
				description: problems.map((p) => `${p.message}: ${p.fix}`).join('\n'),
			});
		const base = tableFor(credentials, compiled.table, credentialType);
		const spec = withAdminPagination(base.operations[key], adminPagination(credentials));
		const table = { ...base, operations: { [key]: spec } };
		return await runOperations.call(withMappedParameters(this, op, op.name), table);
	}
}

/** The credential's spec compiled, or an error that lists what to fix in it. */
async function specOf(
	this: ILoadOptionsFunctions,
): Promise<Required<Pick<CompiledSpec, 'integration' | 'table'>> & { credentials: ICredentialDataDecryptedObject }> {
	const credentials = await this.getCredentials(credentialTypeOf(this.getCurrentNodeParameter('authentication')));
	return { ...usable(await compileCredentialSpec(credentials, n8nDownload(this.helpers)), this), credentials };
}

function usable(
	compiled: CompiledSpec,
	context: IExecuteFunctions | ILoadOptionsFunctions,
): Required<Pick<CompiledSpec, 'integration' | 'table'>> {
	if (compiled.integration && compiled.table) return { integration: compiled.integration, table: compiled.table };
	const errors = compiled.findings.filter((f) => f.severity === 'error');
	throw new NodeOperationError(
		context.getNode(),
		`The credential's spec cannot be used: ${errors[0]?.message ?? 'unknown error'}`,
		{
			description: errors.map((f) => `${f.pointer || '/'}: ${f.message}. ${f.fix}`).join('\n'),
		},
	);
}

function operationOf(integration: Integration, resource: string, operation: string): Operation | undefined {
	const name = operation.replace(LIST_PREFIX, '');
	return integration.resources.find((r) => r.name === resource)?.operations.find((o) => o.name === name);
}
