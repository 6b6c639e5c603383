/**
 * Type-level checks that keep a declaration and the runtime's hand-written types in step: the
 * runtime (nodes/shared) is copied into generated packages and cannot import the declaration, so
 * the declaration is checked against it instead, and a drift fails to compile.
 */

/** Compiles only when `T` is `true`. */
export type Assert<T extends true> = T;

/** Every key of every branch of a union. */
export type KeysOfUnion<T> = T extends unknown ? keyof T : never;

/** `true` when `A` and `B` (unions allowed) have the same keys. */
export type SameKeys<A, B> = [KeysOfUnion<A>] extends [KeysOfUnion<B>]
	? [KeysOfUnion<B>] extends [KeysOfUnion<A>]
		? true
		: false
	: false;
