/**
 * A blog draft as the Docs API's `documents.get` returns it (fields as in
 * https://developers.google.com/workspace/docs/api/reference/rest/v1/documents): a title, headings
 * with their ids, a paragraph of text runs (bold, italic, a link, a soft line break), a bulleted
 * list with a nested level, a numbered list, an inline image, a table, empty spacing paragraphs,
 * and what an author may paste in: markup in the text and a `javascript:` link. Start and end
 * indexes run on as Docs counts them (UTF-16 units, each paragraph ending in its newline).
 */

interface Run {
	text: string;
	style?: Record<string, unknown>;
}

type Element = { paragraph?: unknown; table?: unknown; sectionBreak?: unknown; startIndex?: number; endIndex?: number };

export function blogDraftDocument(documentId: string, title: string, imageUri: string): Record<string, unknown> {
	let index = 1;
	const runs = (parts: Array<Run | { objectId: string }>) =>
		parts.map((part) => {
			const startIndex = index;
			if ('objectId' in part) {
				index += 1;
				return {
					startIndex,
					endIndex: index,
					inlineObjectElement: { inlineObjectId: part.objectId, textStyle: {} },
				};
			}
			index += part.text.length;
			return { startIndex, endIndex: index, textRun: { content: part.text, textStyle: part.style ?? {} } };
		});
	const paragraph = (
		parts: Array<Run | { objectId: string }>,
		style = 'NORMAL_TEXT',
		bullet?: { listId: string; nestingLevel?: number },
	): Element => {
		const startIndex = index;
		const elements = runs(parts);
		return {
			startIndex,
			endIndex: index,
			paragraph: {
				elements,
				paragraphStyle: {
					namedStyleType: style,
					direction: 'LEFT_TO_RIGHT',
					...(style.startsWith('HEADING') ? { headingId: `h.${startIndex.toString(36)}x7q` } : {}),
					...(bullet
						? { indentFirstLine: { magnitude: 18, unit: 'PT' }, indentStart: { magnitude: 36, unit: 'PT' } }
						: {}),
				},
				...(bullet
					? {
							bullet: {
								listId: bullet.listId,
								...(bullet.nestingLevel ? { nestingLevel: bullet.nestingLevel } : {}),
								textStyle: {},
							},
						}
					: {}),
			},
		};
	};
	const content: Element[] = [
		{
			endIndex: 1,
			sectionBreak: {
				sectionStyle: {
					columnSeparatorStyle: 'NONE',
					contentDirection: 'LEFT_TO_RIGHT',
					sectionType: 'CONTINUOUS',
				},
			},
		},
		paragraph([{ text: `${title}\n` }], 'TITLE'),
		paragraph([
			{ text: 'Last week we shipped ' },
			{ text: 'five releases', style: { bold: true } },
			{ text: ' in ' },
			{ text: 'five days', style: { italic: true } },
			{ text: '. Read the ' },
			{
				text: 'changelog',
				style: {
					underline: true,
					foregroundColor: { color: { rgbColor: { red: 0.07, green: 0.33, blue: 0.8 } } },
					link: { url: 'https://example.com/changelog?from=2026-11-30&to=2026-12-04' },
				},
			},
			{ text: ' for details.\u000bQuestions? Write to ' },
			{ text: 'team@example.com', style: { underline: true, link: { url: 'mailto:team@example.com' } } },
			{ text: '.\n' },
		]),
		paragraph([{ text: '\n' }]),
		paragraph([{ text: 'What changed\n' }], 'HEADING_2'),
		paragraph([{ text: 'Faster sync\n' }], 'NORMAL_TEXT', { listId: 'kix.list1' }),
		paragraph([{ text: 'Up to 3× on large folders\n' }], 'NORMAL_TEXT', { listId: 'kix.list1', nestingLevel: 1 }),
		paragraph([{ text: 'A new <script>alert("editor")</script> tag & filter\n' }], 'NORMAL_TEXT', {
			listId: 'kix.list1',
		}),
		paragraph([{ text: 'How to upgrade\n' }], 'HEADING_2'),
		paragraph([{ text: 'Back up your workspace\n' }], 'NORMAL_TEXT', { listId: 'kix.list2' }),
		paragraph([{ text: 'Run the installer\n' }], 'NORMAL_TEXT', { listId: 'kix.list2' }),
		paragraph([
			{ text: 'Do not click ' },
			{ text: 'this link', style: { underline: true, link: { url: 'javascript:alert(document.cookie)' } } },
			{ text: '.\n' },
		]),
		paragraph([{ objectId: 'kix.img1' }, { text: '\n' }]),
	];
	const tableStart = index;
	const cell = (text: string) => {
		const start = index;
		const p = paragraph([{ text: `${text}\n` }]);
		return { startIndex: start, endIndex: index, content: [p], tableCellStyle: { rowSpan: 1, columnSpan: 1 } };
	};
	index += 1;
	const rows = [
		['Release', 'Date'],
		['2.4.0', 'Dec 1'],
	].map((row) => {
		const start = index;
		index += 1;
		const tableCells = row.map((text) => {
			index += 1;
			return cell(text);
		});
		return { startIndex: start, endIndex: index, tableCells, tableRowStyle: { minRowHeight: { unit: 'PT' } } };
	});
	index += 1;
	content.push({
		startIndex: tableStart,
		endIndex: index,
		table: { rows: 2, columns: 2, tableRows: rows, tableStyle: {} },
	});
	content.push(paragraph([{ text: 'Thanks for reading!\n' }]));
	const glyphs = (type: string | undefined, symbol?: string) =>
		[0, 1, 2].map((level) => ({
			bulletAlignment: 'START',
			...(type
				? { glyphType: type, glyphFormat: `%${level}.` }
				: { glyphSymbol: symbol, glyphFormat: `%${level}` }),
			indentFirstLine: { magnitude: 18 + 36 * level, unit: 'PT' },
			indentStart: { magnitude: 36 + 36 * level, unit: 'PT' },
			startNumber: 1,
			textStyle: { underline: false },
		}));
	return {
		title,
		documentId,
		revisionId: 'ALBJ4Ls1mZkPZm7tW0ZrTq1rR5lJ',
		suggestionsViewMode: 'SUGGESTIONS_INLINE',
		body: { content },
		documentStyle: { pageSize: { height: { magnitude: 792, unit: 'PT' }, width: { magnitude: 612, unit: 'PT' } } },
		namedStyles: {
			styles: [{ namedStyleType: 'NORMAL_TEXT', textStyle: { fontSize: { magnitude: 11, unit: 'PT' } } }],
		},
		lists: {
			'kix.list1': { listProperties: { nestingLevels: glyphs(undefined, '●') } },
			'kix.list2': { listProperties: { nestingLevels: glyphs('DECIMAL') } },
		},
		inlineObjects: {
			'kix.img1': {
				objectId: 'kix.img1',
				inlineObjectProperties: {
					embeddedObject: {
						title: 'Release dashboard',
						description: 'Sync times before and after',
						imageProperties: { contentUri: imageUri, cropProperties: {} },
						size: { height: { magnitude: 240, unit: 'PT' }, width: { magnitude: 468, unit: 'PT' } },
						marginTop: { magnitude: 9, unit: 'PT' },
					},
				},
			},
		},
	};
}
