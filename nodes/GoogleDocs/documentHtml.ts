/**
 * A Google Docs document (API v1 `documents.get`) as HTML a blog or CMS can take: named styles
 * become headings, bulleted paragraphs nested lists (ordered where the list's glyph is a number or
 * letter), text runs keep bold, italic, strikethrough, super/subscript and links, inline images
 * and tables are kept. The document is someone else's text: every character is escaped, and only
 * http(s) and mailto links and http(s) images survive; anything else keeps its text and loses its
 * URL. The answer is markup, never script or an n8n expression.
 */

interface TextStyle {
	bold?: boolean;
	italic?: boolean;
	strikethrough?: boolean;
	baselineOffset?: string;
	link?: { url?: string };
}

interface ParagraphElement {
	textRun?: { content?: string; textStyle?: TextStyle };
	inlineObjectElement?: { inlineObjectId?: string };
	horizontalRule?: object;
}

interface Paragraph {
	elements?: ParagraphElement[];
	paragraphStyle?: { namedStyleType?: string };
	bullet?: { listId?: string; nestingLevel?: number };
}

interface StructuralElement {
	paragraph?: Paragraph;
	table?: { tableRows?: Array<{ tableCells?: Array<{ content?: StructuralElement[] }> }> };
}

export interface GoogleDocument {
	body?: { content?: StructuralElement[] };
	lists?: Record<string, { listProperties?: { nestingLevels?: Array<{ glyphType?: string }> } }>;
	inlineObjects?: Record<
		string,
		{
			inlineObjectProperties?: {
				embeddedObject?: { title?: string; description?: string; imageProperties?: { contentUri?: string } };
			};
		}
	>;
}

const HEADINGS: Record<string, string> = {
	TITLE: 'h1',
	SUBTITLE: 'h2',
	HEADING_1: 'h1',
	HEADING_2: 'h2',
	HEADING_3: 'h3',
	HEADING_4: 'h4',
	HEADING_5: 'h5',
	HEADING_6: 'h6',
};

/** Glyph types of numbered and lettered lists; any other glyph (●, ○, ■, none) is a bulleted list. */
const ORDERED = new Set(['DECIMAL', 'ZERO_DECIMAL', 'ALPHA', 'UPPER_ALPHA', 'ROMAN', 'UPPER_ROMAN']);

export function documentHtml(document: GoogleDocument): string {
	return blocks(document, document.body?.content ?? []);
}

function blocks(document: GoogleDocument, content: StructuralElement[]): string {
	const out: string[] = [];
	/** The list being written, as one block: its open lists, outermost first, each with one open <li>. */
	const open: string[] = [];
	let list = '';
	let listId: string | undefined;
	const closeTo = (depth: number) => {
		while (open.length > depth) list += `</li></${open.pop()}>`;
		if (depth === 0 && list) {
			out.push(list);
			list = '';
		}
	};
	for (const element of content) {
		const paragraph = element.paragraph;
		const bullet = paragraph?.bullet;
		if (!bullet || bullet.listId !== listId) closeTo(0);
		if (element.table) out.push(table(document, element.table));
		if (!paragraph) continue;
		const inner = inline(document, paragraph.elements ?? []);
		if (!bullet) {
			if (inner.trim() === '') continue;
			const tag = HEADINGS[paragraph.paragraphStyle?.namedStyleType ?? ''] ?? 'p';
			out.push(`<${tag}>${inner}</${tag}>`);
			continue;
		}
		listId = bullet.listId;
		const depth = (bullet.nestingLevel ?? 0) + 1;
		const tagAt = (level: number) => listTag(document, bullet.listId, level);
		closeTo(depth);
		if (open.length === depth && open[depth - 1] !== tagAt(depth - 1)) closeTo(depth - 1);
		if (open.length === depth) {
			list += `</li><li>${inner}`;
			continue;
		}
		// Deeper than the open lists: the new list goes inside the open item (a skipped level gets an empty item).
		while (open.length < depth) {
			const tag = tagAt(open.length);
			open.push(tag);
			list += open.length < depth ? `<${tag}><li>` : `<${tag}>`;
		}
		list += `<li>${inner}`;
	}
	closeTo(0);
	return out.join('\n');
}

function listTag(document: GoogleDocument, listId: string | undefined, level: number): 'ol' | 'ul' {
	const glyph = document.lists?.[listId ?? '']?.listProperties?.nestingLevels?.[level]?.glyphType;
	return glyph && ORDERED.has(glyph) ? 'ol' : 'ul';
}

function table(document: GoogleDocument, value: NonNullable<StructuralElement['table']>): string {
	const rows = (value.tableRows ?? []).map(
		(row) => `<tr>${(row.tableCells ?? []).map((cell) => `<td>${blocks(document, cell.content ?? [])}</td>`).join('')}</tr>`,
	);
	return `<table><tbody>${rows.join('')}</tbody></table>`;
}

function inline(document: GoogleDocument, elements: ParagraphElement[]): string {
	return elements
		.map((element) => {
			if (element.textRun) return textRun(element.textRun.content ?? '', element.textRun.textStyle ?? {});
			if (element.inlineObjectElement) return image(document, element.inlineObjectElement.inlineObjectId);
			if (element.horizontalRule) return '<hr>';
			return '';
		})
		.join('');
}

function textRun(content: string, style: TextStyle): string {
	// A paragraph's text ends with its newline; a vertical tab is a line break inside it.
	const text = content.replace(/\n$/, '');
	if (text === '') return '';
	let html = escapeHtml(text).replace(/\u000b/g, '<br>');
	if (style.baselineOffset === 'SUPERSCRIPT') html = `<sup>${html}</sup>`;
	if (style.baselineOffset === 'SUBSCRIPT') html = `<sub>${html}</sub>`;
	if (style.strikethrough) html = `<s>${html}</s>`;
	if (style.italic) html = `<em>${html}</em>`;
	if (style.bold) html = `<strong>${html}</strong>`;
	const href = safeUrl(style.link?.url, ['http:', 'https:', 'mailto:']);
	return href ? `<a href="${escapeHtml(href)}">${html}</a>` : html;
}

function image(document: GoogleDocument, id: string | undefined): string {
	const embedded = document.inlineObjects?.[id ?? '']?.inlineObjectProperties?.embeddedObject;
	const src = safeUrl(embedded?.imageProperties?.contentUri, ['http:', 'https:']);
	if (!src) return '';
	const alt = embedded?.description ?? embedded?.title ?? '';
	return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
}

/** The URL when it parses and uses one of `protocols` (never javascript:, data: or a relative link). */
function safeUrl(url: string | undefined, protocols: string[]): string | undefined {
	if (!url) return undefined;
	try {
		const parsed = new URL(url);
		return protocols.includes(parsed.protocol) ? parsed.href : undefined;
	} catch {
		return undefined;
	}
}

function escapeHtml(text: string): string {
	return text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
	);
}
