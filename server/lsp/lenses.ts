// Code lenses: the verdict above each loop and each group of awaits (clicking one opens its explanation), and a
// `Profile` lens that asks the client to profile the file from that line.
//
// The list (`textDocument/codeLens`) carries only ranges and a small `data`: a 5,000-line file has thousands of
// lenses, and rendering every title and explanation into one response (about 1 MB) cost more than the analysis. The
// client resolves the lenses it shows (`codeLens/resolve`); `resolveLens` fills in the command then.
import type { CodeLens, Command } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/index';
import { commonEnds } from './analysisService';
import { findingTitle } from './describe';
import { explain } from './explain';
import type { DocumentResult } from './protocol';
import type { Settings } from './settings';
import { anchorRange, annotationFor, sourceText, visibleFindings } from './view';

/** What a listed lens carries to its resolve: the document version it was listed for and the finding it is about. */
export interface LensData {
  uri: string;
  version: number;
  /** `<kind>@<offset of the finding's anchor in that version's text>`: unique per lensed finding. */
  key: string;
  /** The `Profile` lens of the finding's line (absent on verdict lenses). */
  profile?: true;
}

/**
 * On the wire a lens's data is a tuple `[document id, version, key]` (`, 1]` for a Profile lens): thousands of lenses
 * repeating a `file:///…` URI and field names were a third of the list. Ids are this server's, per URI, for its life.
 */
type WireLensData = [number, number, string] | [number, number, string, 1];
const idOfUri = new Map<string, number>();
const uriOfId: string[] = [];

function encodeLensData(data: LensData): WireLensData {
  let id = idOfUri.get(data.uri);
  if (id === undefined) {
    id = uriOfId.push(data.uri) - 1;
    idOfUri.set(data.uri, id);
  }
  return data.profile ? [id, data.version, data.key, 1] : [id, data.version, data.key];
}

/** The lens data a client sent back, or undefined when it is not a lens of this server. */
export function decodeLensData(wire: unknown): LensData | undefined {
  if (!Array.isArray(wire) || wire.length < 3 || typeof wire[0] !== 'number' || typeof wire[1] !== 'number' || typeof wire[2] !== 'string') return undefined;
  const uri = uriOfId[wire[0]];
  if (uri === undefined) return undefined;
  return { uri, version: wire[1], key: wire[2], ...(wire[3] === 1 ? { profile: true as const } : {}) };
}

/** The title of a lens whose finding is gone (or cannot be found) by the time the client resolves it. */
export const STALE_LENS_TITLE = 'Parlens · out of date (the code changed); refreshing…';

/**
 * Per document, the texts of the last versions lenses were listed for (oldest first): a resolve for an older version
 * maps its anchor through them, one listing to the next (each pair usually differs by one edit), to the newest text.
 */
interface Listed {
  texts: Map<number, string>;
  /** Changed regions between two texts, by `<from version>><to version>`. */
  regions: Map<string, Region>;
}
/** Offsets below `keepBefore` stay, offsets from `keepFrom` on move by `delta`, the others were edited. */
interface Region { keepBefore: number; keepFrom: number; delta: number }
const listed = new Map<string, Listed>();
const KEEP_VERSIONS = 8;

export function codeLenses(result: DocumentResult, doc: TextDocument, settings: Settings): CodeLens[] {
  if (!settings.codeLens.enable) return [];
  const lenses: CodeLens[] = [];
  const profiled = new Set<number>();
  // The resolves that follow look findings up by key: the index is a by-product of the listing.
  const byKey = new Map<string, Finding>();
  for (const f of visibleFindings(result, settings)) {
    if (!lensed(f)) continue;
    const range = anchorRange(f, doc);
    const data: LensData = { uri: doc.uri, version: doc.version, key: `${f.kind}@${doc.offsetAt(range.start)}` };
    byKey.set(data.key, f);
    lenses.push({ range, data: encodeLensData(data) });
    if ((f.kind === 'loop' || f.kind === 'await') && !profiled.has(f.line)) {
      profiled.add(f.line);
      lenses.push({ range, data: encodeLensData({ ...data, profile: true }) });
    }
  }
  const kept = listed.get(doc.uri) ?? { texts: new Map<number, string>(), regions: new Map<string, Region>() };
  if (!kept.texts.has(doc.version)) {
    kept.texts.set(doc.version, doc.getText());
    for (const version of kept.texts.keys()) if (kept.texts.size > KEEP_VERSIONS) kept.texts.delete(version);
    for (const key of kept.regions.keys()) if (!kept.texts.has(Number(key.slice(0, key.indexOf('>'))))) kept.regions.delete(key);
  }
  listed.set(doc.uri, kept);
  if (views.get(result)?.settings !== settings) views.set(result, { settings, byKey });
  return lenses;
}

/** Awaits get a lens on the first await of a group only; a lone await is no news. */
function lensed(f: Finding): boolean {
  return !(f.kind === 'await' && f.group.length <= 1);
}

/** The newest analysis of a document, the text it was made from, and the open document when it is still at that version. */
export interface Analysed {
  result: DocumentResult;
  text: string;
  languageId: string;
  doc?: TextDocument;
}

/**
 * Fills in a listed lens's command from the newest analysis of its document. A lens listed for an older version is
 * resolved against the newest result when its finding is still there (its anchor did not move into or out of the
 * edited text, and a finding of the same kind sits at the moved anchor); otherwise it gets `STALE_LENS_TITLE` and no
 * command — never an error, which the client would show as a popup.
 */
export function resolveLens(lens: CodeLens, analysed: Analysed | undefined, settings: Settings, workers: number): CodeLens {
  const data = decodeLensData(lens.data);
  const stale = (): CodeLens => ({ range: lens.range, command: { title: STALE_LENS_TITLE, command: '' }, data: lens.data });
  if (!data) return stale();
  if (!analysed || !settings.codeLens.enable) return stale();
  const at = /^([\w-]+)@(\d+)$/.exec(data.key);
  if (!at) return stale();
  const { result, text } = analysed;
  let offset: number | undefined = Number(at[2]);
  if (data.version !== result.version) offset = mapAcross(data.uri, data.version, offset, result.version, text);
  if (offset === undefined) return stale();
  const view = viewOf(analysed, settings);
  const f = view.byKey.get(`${at[1]}@${offset}`);
  if (!f) return stale();
  let command: Command;
  if (data.profile) {
    command = { title: 'Profile', command: 'parlens.profileRun', arguments: [data.uri, f.line] };
  } else {
    const source = sourceText(documentOf(analysed, view));
    const annotation = f.kind === 'loop' ? annotationFor(f, result.annotations) : undefined;
    command = { title: findingTitle(f, source), command: 'parlens.explain', arguments: [explain(f, workers, source, annotation)] };
  }
  return { range: lens.range, command, data: lens.data };
}

export function forgetLenses(uri: string): void {
  listed.delete(uri);
}

/** Per result (and settings): its lensed findings by key, from the listing or built on the first resolve. */
interface View { settings: Settings; byKey: Map<string, Finding>; doc?: TextDocument }
const views = new WeakMap<DocumentResult, View>();

function viewOf(analysed: Analysed, settings: Settings): View {
  const have = views.get(analysed.result);
  if (have && have.settings === settings) return have;
  const doc = documentOf(analysed, have);
  const byKey = new Map<string, Finding>();
  for (const f of visibleFindings(analysed.result, settings)) {
    if (lensed(f)) byKey.set(`${f.kind}@${doc.offsetAt(anchorRange(f, doc).start)}`, f);
  }
  const view: View = { settings, byKey, doc };
  views.set(analysed.result, view);
  return view;
}

/** The text of the result as a document: the open one while it is at that version, else a copy made once. */
function documentOf({ result, text, languageId, doc }: Analysed, view: View | undefined): TextDocument {
  if (doc && doc.version === result.version) return doc;
  if (view?.doc) return view.doc;
  const copy = TextDocument.create(result.uri, languageId, result.version, text);
  if (view) view.doc = copy;
  return copy;
}

/**
 * Where `offset` in the text of version `from` is in the text of version `to`: mapped from each listed version to the
 * next, then to `toText`. Undefined when a step's edit covers it, or the old version is no longer kept.
 */
function mapAcross(uri: string, from: number, offset: number, to: number, toText: string): number | undefined {
  const kept = listed.get(uri);
  if (!kept || !kept.texts.has(from) || from > to) return undefined;
  const chain = [...kept.texts.keys()].filter((v) => v >= from && v <= to).sort((a, b) => a - b);
  let at: number | undefined = offset;
  for (let i = 0; i < chain.length && at !== undefined; i++) {
    const next = chain[i + 1] ?? to;
    if (next === chain[i]) break;
    const key = `${chain[i]}>${next}`;
    let region = kept.regions.get(key);
    if (!region) {
      region = changedRegion(kept.texts.get(chain[i])!, kept.texts.get(next) ?? toText);
      kept.regions.set(key, region);
    }
    at = mapOffset(region, at);
  }
  return at;
}

/**
 * Two texts differ only between their common prefix and suffix, widened to whole lines: an offset on a line before
 * that region stays, one on a line after it moves by the length change, one on a line the edit touched maps nowhere
 * (`for (const x of b)` retyped as `for (let i = 0; …)` is another loop, even though `for` did not move).
 */
export function mapOffset(region: Region, offset: number): number | undefined {
  if (offset < region.keepBefore) return offset;
  if (offset >= region.keepFrom) return offset + region.delta;
  return undefined;
}

export function changedRegion(from: string, to: string): Region {
  const { start: prefix, tail: suffix } = commonEnds(from, to);
  const end = from.length - suffix;
  const keepBefore = prefix === 0 ? 0 : from.lastIndexOf('\n', prefix - 1) + 1;
  const nextLine = from.indexOf('\n', end);
  const keepFrom = end > 0 && from.charCodeAt(end - 1) === 10 ? end : nextLine < 0 ? from.length + 1 : nextLine + 1;
  return { keepBefore, keepFrom, delta: to.length - from.length };
}
