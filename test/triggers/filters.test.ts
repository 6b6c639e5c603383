/** Trigger filters (Only When) as declared in definitions: GitHub's labels on issues and pull requests. */
import { passesFilters } from '../../nodes/shared/triggers/filters';
import type { TriggerFilter } from '../../nodes/shared/triggers/types';

const labels: TriggerFilter = {
	name: 'labels',
	paths: ['issue.labels', 'pull_request.labels'],
	key: 'name',
	match: 'all',
	events: ['issueOpened', 'pullRequestOpened'],
};
const issue = (...names: string[]) => ({ issue: { labels: names.map((name) => ({ name })) } });

it('all: the item carries every listed value; empty means no filter', () => {
	const set = { labels: 'bug, urgent' };
	expect(passesFilters([labels], set, issue('urgent', 'bug', 'ui'), 'issueOpened')).toBe(true);
	expect(passesFilters([labels], set, issue('bug'), 'issueOpened')).toBe(false);
	expect(passesFilters([labels], set, {}, 'issueOpened')).toBe(false);
	expect(passesFilters([labels], { labels: ' ' }, issue(), 'issueOpened')).toBe(true);
	expect(passesFilters([labels], {}, issue(), 'issueOpened')).toBe(true);
});

it('reads the first path present, and leaves events it does not name alone', () => {
	const set = { labels: 'bug' };
	expect(passesFilters([labels], set, { pull_request: { labels: [{ name: 'bug' }] } }, 'pullRequestOpened')).toBe(
		true,
	);
	expect(passesFilters([labels], set, { ref: 'refs/heads/main' }, 'push')).toBe(true);
});

it('any: one listed value is enough, scalars compare as text', () => {
	const stage: TriggerFilter = { name: 'stage', paths: ['stage'], match: 'any' };
	expect(passesFilters([stage], { stage: 'won, lost' }, { stage: 'lost' })).toBe(true);
	expect(passesFilters([stage], { stage: 'won, lost' }, { stage: 'lead' })).toBe(false);
	expect(passesFilters([stage], { stage: '3' }, { stage: 3 })).toBe(true);
});
