/**
 * The YAML form of an integration: the IR with maps instead of named lists, shorthands, and
 * defaults left out. Its types come from the declaration (./declaration.ts); `buildIntegration`
 * turns it into the IR.
 */
import type { RawAuth, RawDefinition } from './declaration';

export type {
	RawAuth,
	RawDefinition,
	RawLookup,
	RawOperation,
	RawParameter,
	RawPollingTrigger,
	RawResource,
	RawTrigger,
	RawTriggerFilter,
	RawWebhookTrigger,
} from './declaration';

export function authList(raw: Pick<RawDefinition, 'auth'>): RawAuth[] {
	return Array.isArray(raw.auth) ? raw.auth : [raw.auth];
}

/** `{name}` placeholders in a URL or path template. */
export function placeholders(template: string): string[] {
	return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}
