/**
 * The scope check before a call: what the token response granted, widened by the definition's
 * scopeIncludes (a broader scope grants the narrower ones), against what the operation needs.
 */
import { grantedScopes, missingScopes } from '../../nodes/shared/scopes';

const SHEETS = 'https://www.googleapis.com/auth/spreadsheets';
const includes = { [SHEETS]: [`${SHEETS}.readonly`] };

it('a granted broader scope satisfies an operation needing the narrower one, not the other way round', () => {
	expect(
		missingScopes([`${SHEETS}.readonly`], grantedScopes({ oauthTokenData: { scope: SHEETS } }), includes),
	).toEqual([]);
	expect(
		missingScopes([SHEETS], grantedScopes({ oauthTokenData: { scope: `${SHEETS}.readonly` } }), includes),
	).toEqual([SHEETS]);
});

it('without scopeIncludes every required scope must be granted as it is written', () => {
	expect(missingScopes([`${SHEETS}.readonly`], grantedScopes({ oauthTokenData: { scope: SHEETS } }))).toEqual([
		`${SHEETS}.readonly`,
	]);
	expect(missingScopes(['a', 'b'], grantedScopes({ oauthTokenData: { scope: 'b,c' } }))).toEqual(['a']);
});
