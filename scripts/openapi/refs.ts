import { segmentsOf } from '../validate/finding';
import type { Json } from './document';

/** Follows local `$ref`s (`#/components/…`) in one bundled document; cycles and dangling refs end in `undefined`. */
export class Refs {
	private readonly cache = new Map<string, unknown>();

	constructor(readonly doc: Json) {}

	/** The object at a JSON pointer, or undefined. */
	at(pointer: string): unknown {
		if (this.cache.has(pointer)) return this.cache.get(pointer);
		let v: unknown = this.doc;
		for (const s of segmentsOf(pointer)) {
			if (!v || typeof v !== 'object') {
				v = undefined;
				break;
			}
			v = (v as Record<string, unknown>)[s];
		}
		this.cache.set(pointer, v);
		return v;
	}

	/** The value with its `$ref` chain followed, and the last ref taken (the identity of a named schema). */
	follow(value: unknown): Followed {
		if (!isObject(value)) return NOTHING;
		if (typeof value.$ref !== 'string') return { value };
		// A chain's end depends only on where it starts: each `$ref` string is followed once.
		let followed = this.followed.get(value.$ref);
		if (!followed) this.followed.set(value.$ref, (followed = this.chain(value)));
		return followed;
	}

	private readonly followed = new Map<string, Followed>();

	private chain(value: Json): Followed {
		let ref: string | undefined;
		const seen = new Set<string>();
		let v: unknown = value;
		while (isObject(v) && typeof v.$ref === 'string') {
			ref = v.$ref;
			if (!ref.startsWith('#') || seen.has(ref)) return { ref };
			seen.add(ref);
			v = this.at(decodeURIComponent(ref.slice(1)));
		}
		return { value: isObject(v) ? v : undefined, ref };
	}

	/** Shorthand: the resolved object or an empty one. */
	get(value: unknown): Json {
		return this.follow(value).value ?? {};
	}
}

export interface Followed {
	value?: Json;
	ref?: string;
}

const NOTHING: Followed = Object.freeze({});

export function isObject(v: unknown): v is Json {
	return !!v && typeof v === 'object' && !Array.isArray(v);
}
