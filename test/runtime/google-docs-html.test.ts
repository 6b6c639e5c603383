/**
 * The Google Docs node's HTML (nodes/GoogleDocs/documentHtml.ts, added to Get Content's output by
 * its hook) from a document as the Docs API returns it: headings, paragraphs with inline styles,
 * links and a soft line break, nested bulleted and numbered lists, an image and a table kept; the
 * author's markup escaped and a javascript: link dropped.
 */
import { documentHtml, type GoogleDocument } from '../../nodes/GoogleDocs/documentHtml';
import { blogDraftDocument } from '../fakes/google-docs-document';

const image = 'https://lh7-rt.googleusercontent.com/docsz/AD_4nXd2Qk8w?key=Zq1';

it('writes a blog draft as HTML: headings, lists, links and images kept, text escaped, unsafe links dropped', () => {
	const document = blogDraftDocument('1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'Launch week recap', image);
	expect(documentHtml(document as GoogleDocument).split('\n')).toEqual([
		'<h1>Launch week recap</h1>',
		'<p>Last week we shipped <strong>five releases</strong> in <em>five days</em>. Read the ' +
			'<a href="https://example.com/changelog?from=2026-11-30&amp;to=2026-12-04">changelog</a> for details.<br>' +
			'Questions? Write to <a href="mailto:team@example.com">team@example.com</a>.</p>',
		'<h2>What changed</h2>',
		'<ul><li>Faster sync<ul><li>Up to 3× on large folders</li></ul></li>' +
			'<li>A new &lt;script&gt;alert(&quot;editor&quot;)&lt;/script&gt; tag &amp; filter</li></ul>',
		'<h2>How to upgrade</h2>',
		'<ol><li>Back up your workspace</li><li>Run the installer</li></ol>',
		'<p>Do not click this link.</p>',
		`<p><img src="${image}" alt="Sync times before and after"></p>`,
		'<table><tbody><tr><td><p>Release</p></td><td><p>Date</p></td></tr><tr><td><p>2.4.0</p></td><td><p>Dec 1</p></td></tr></tbody></table>',
		'<p>Thanks for reading!</p>',
	]);
});

it('keeps only http(s) image sources and quotes attribute values', () => {
	const paragraph = (inlineObjectId: string) => ({
		paragraph: { elements: [{ inlineObjectElement: { inlineObjectId } }] },
	});
	const object = (contentUri: string, description: string) => ({
		inlineObjectProperties: { embeddedObject: { description, imageProperties: { contentUri } } },
	});
	const html = documentHtml({
		body: { content: [paragraph('a'), paragraph('b'), paragraph('c')] },
		inlineObjects: {
			a: object('data:image/svg+xml,<svg onload=alert(1)>', 'data'),
			b: object('https://example.com/x.png?a="><script>', 'say "hi" <b>'),
			c: object('//example.com/relative.png', 'relative'),
		},
	});
	expect(html).toBe(
		'<p><img src="https://example.com/x.png?a=%22%3E%3Cscript%3E" alt="say &quot;hi&quot; &lt;b&gt;"></p>',
	);
});

it('starts a new list when the list or its kind changes, and nests a skipped level inside an empty item', () => {
	const item = (listId: string, text: string, nestingLevel?: number) => ({
		paragraph: {
			elements: [{ textRun: { content: `${text}\n` } }],
			bullet: { listId, ...(nestingLevel ? { nestingLevel } : {}) },
		},
	});
	const levels = (glyphType?: string) => ({
		listProperties: { nestingLevels: [{ glyphType }, { glyphType }, { glyphType }] },
	});
	const html = documentHtml({
		body: { content: [item('l1', 'a'), item('l1', 'b', 2), item('l2', 'c'), item('l2', 'd')] },
		lists: { l1: levels('GLYPH_TYPE_UNSPECIFIED'), l2: levels('UPPER_ROMAN') },
	});
	expect(html.split('\n')).toEqual([
		'<ul><li>a<ul><li><ul><li>b</li></ul></li></ul></li></ul>',
		'<ol><li>c</li><li>d</li></ol>',
	]);
});
