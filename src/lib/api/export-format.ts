import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { stringify as stringifyCsv, type Options } from 'csv-stringify/sync';
import { z } from 'zod';
import { decodeUtf8, mediaTypeOf, parseJson, readBytes } from './body';
import { EXPORT_FORMATS, IMPORT_MAX_BYTES, IMPORT_MAX_TASKS, type ExportFormat } from './limits';
import { colorSchema, listNameSchema, listSchema, type ListDto } from './list-schemas';
import { fieldErrors, HttpProblem, validationProblem, type ProblemFieldError } from './problem';
import { scheduleOf } from './task-lifecycle';
import { createTaskSchema, taskSchema, type CreateTaskInput, type TaskDto } from './task-schemas';

/**
 * "Your data": the export files (JSON `{ user, lists, tasks }`, CSV of the tasks) and their import,
 * both ways in one place, shared by the route handlers and the msw mock. Browser-safe (the mock
 * runs in the page in `dev:mock`), so nothing here touches the database: the server streams the
 * pieces built here batch by batch, and writes what `parseImport` planned in one transaction.
 *
 * CSV is written and read by the `csv` project's csv-stringify and csv-parse (RFC 4180 quoting,
 * line breaks inside fields, a byte order mark from Excel), not by hand.
 */

/** The CSV's columns, in order: the contract's header row. */
export const CSV_COLUMNS = [
  'id',
  'title',
  'description',
  'completed',
  'priority',
  'tags',
  'list',
  'due_date',
  'due_time',
  'recurrence',
  'recur_from',
  'remind_at',
  'created_at',
  'completed_at',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns and keys of a file that import reads past: the server owns them (contract: "ignored"). */
const IGNORED = new Set(['id', 'user_id', 'updated_at']);

export const exportUserSchema = z
  .strictObject({ id: z.string(), name: z.string(), email: z.string(), timezone: z.string() })
  .meta({ id: 'ExportUser', description: 'Whose data it is (not imported: an import adds to the importing user).' });
export type ExportUser = z.infer<typeof exportUserSchema>;

/** The JSON export, as the OpenAPI document describes it. */
export const exportSchema = z
  .strictObject({ user: exportUserSchema, lists: z.array(listSchema), tasks: z.array(taskSchema) })
  .meta({ id: 'Export' });

export const exportParamsSchema = z.object({
  format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }).default('json').meta({ description: 'json (default) or csv.' }),
});

/** `?format=` of an export: json unless csv; anything else is 422 on `format`. */
export function parseExportFormat(params: URLSearchParams): ExportFormat {
  const result = exportParamsSchema.safeParse({ format: params.get('format') ?? undefined });
  if (!result.success) throw validationProblem(result.error, 'The query');
  return result.data.format;
}

export const importResultSchema = z.strictObject({ imported: z.number().int().min(0).meta({ description: 'How many tasks were added.' }) }).meta({ id: 'ImportResult' });

/** The answer's headers: an attachment named for the day (`today` is YYYY-MM-DD in the user's zone). */
export function exportHeaders(format: ExportFormat, today: string): Record<string, string> {
  return {
    'content-type': format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8; header=present',
    'content-disposition': `attachment; filename="tasklane-export-${today}.${format}"`,
    'cache-control': 'no-store',
  };
}

// JSON, in three pieces so the server can write the tasks batch by batch between head and tail.

export function jsonExportHead(user: ExportUser, lists: ListDto[]): string {
  return `{"user":${JSON.stringify(user)},"lists":${JSON.stringify(lists)},"tasks":[`;
}

/** A batch of the `tasks` array; `first` says whether it opens the array (no comma before it). */
export function jsonExportTasks(tasks: readonly TaskDto[], first: boolean): string {
  if (tasks.length === 0) return '';
  return `${first ? '' : ','}${tasks.map((task) => JSON.stringify(task)).join(',')}`;
}

export const JSON_EXPORT_TAIL = ']}\n';

// CSV

/**
 * Formula injection (OWASP "CSV Injection"): a cell starting with = + - @ tab or CR is prefixed
 * with `'` by csv-stringify's `escape_formulas`, so a spreadsheet shows it as text rather than
 * running it. To keep that reversible, a cell that already starts with `'` gets one more, and
 * import takes one leading `'` off every cell: what export wrote comes back exactly. (A CSV made
 * elsewhere loses one leading apostrophe per cell: the price of a file that is safe to open.)
 */
const CSV_WRITE: Options = {
  eof: true,
  record_delimiter: '\r\n',
  escape_formulas: true,
  // An empty string is written `""`, a null nothing at all: import tells a description of "" from
  // none. Any line break is quoted too: csv-stringify quotes only its record delimiter's (CRLF).
  quoted_match: [/^$/, /[\r\n]/],
};
const GUARD = "'";

function csvCell(value: string | null): string | null {
  return value !== null && value.startsWith(GUARD) ? GUARD + value : value;
}

export function csvExportHead(): string {
  return stringifyCsv([[...CSV_COLUMNS]], CSV_WRITE);
}

/** A batch of tasks as CSV rows; `listNames` names each list id (a list is written by name). */
export function csvExportRows(tasks: readonly TaskDto[], listNames: ReadonlyMap<number, string>): string {
  if (tasks.length === 0) return '';
  const rows = tasks.map((task) => {
    const cells: Record<CsvColumn, string | number | null> = {
      id: task.id,
      title: csvCell(task.title),
      description: csvCell(task.description),
      completed: String(task.completed),
      priority: task.priority,
      tags: task.tags.length === 0 ? null : csvCell(task.tags.join(',')),
      list: csvCell(task.list_id === null ? null : (listNames.get(task.list_id) ?? null)),
      due_date: task.due_date,
      due_time: task.due_time,
      recurrence: csvCell(task.recurrence),
      recur_from: task.recur_from,
      remind_at: task.remind_at,
      created_at: task.created_at,
      completed_at: task.completed_at,
    };
    return CSV_COLUMNS.map((column) => cells[column]);
  });
  return stringifyCsv(rows, CSV_WRITE);
}

// Import

export interface ImportList {
  name: string;
  color: string | null;
}

export interface ImportTask {
  /** Validated as a create body is (createTaskSchema); its `list_id` is null: `list` names the list. */
  input: CreateTaskInput;
  /** The list's name, matched (ignoring case) or created; null for the Inbox. */
  list: string | null;
  /** From the file; undefined when it has none (then: now). */
  createdAt: Date | undefined;
  /** From the file (null: never completed); undefined when it has none (then as a create sets it). */
  completedAt: Date | null | undefined;
}

/** What an import adds: the lists it names (in order, once each ignoring case) and the tasks. */
export interface ImportPlan {
  lists: ImportList[];
  tasks: ImportTask[];
}

/** At most this many problems are listed: a file that is wrong throughout says so in the first. */
const ERRORS_MAX = 100;

class ImportErrors {
  readonly list: ProblemFieldError[] = [];
  add(...errors: ProblemFieldError[]): void {
    this.list.push(...errors);
    if (this.list.length >= ERRORS_MAX) throw this.problem();
  }
  problem(): HttpProblem {
    const shown = this.list.slice(0, ERRORS_MAX);
    const named = shown.slice(0, 5).map((e) => `${e.path}: ${e.message}`).join('; ');
    const more = this.list.length > 5 ? ` (and ${this.list.length >= ERRORS_MAX ? 'more' : this.list.length - 5} more)` : '';
    return new HttpProblem(422, `Nothing was imported. The file is invalid: ${named}${more}.`, { errors: shown });
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw this.problem();
  }
}

const instantSchema = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 timestamp such as 2026-12-03T08:00:00.000Z' });

const notAnExport = (message: string) =>
  new HttpProblem(422, `This is not a Tasklane export: ${message}`, { errors: [{ path: '', message }] });

function tooManyTasks(count: number): HttpProblem {
  return new HttpProblem(422, `The file has ${count.toLocaleString('en')} tasks; an import takes at most ${IMPORT_MAX_TASKS.toLocaleString('en')}: split it.`, {
    errors: [{ path: 'tasks', message: `must have at most ${IMPORT_MAX_TASKS} tasks` }],
  });
}

/**
 * One task of the file, checked as a create body is (the same schema), plus what import keeps
 * that a create refuses: its `created_at` and `completed_at`. `at` names a field of this task as
 * the client sees it.
 */
function checkTask(
  body: Record<string, unknown>,
  extra: { list: string | null; createdAt: unknown; completedAt: unknown },
  at: (path: string) => string,
  errors: ImportErrors,
): ImportTask | undefined {
  const problems: ProblemFieldError[] = [];
  const parsed = createTaskSchema.safeParse(body);
  if (!parsed.success) problems.push(...fieldErrors(parsed.error, at));
  const instant = (value: unknown, path: string): Date | null | undefined => {
    if (value === undefined || value === null) return value;
    const result = instantSchema.safeParse(value);
    if (result.success) return new Date(result.data);
    problems.push({ path: at(path), message: result.error.issues[0]!.message });
    return undefined;
  };
  const createdAt = instant(extra.createdAt, 'created_at') ?? undefined;
  const completedAt = instant(extra.completedAt, 'completed_at');
  if (parsed.success) {
    // The rules a create checks beyond the schema (a rule that never occurs), so the row is named.
    const schedule = scheduleOf({ dueDate: null, recurrence: null }, { dueDate: parsed.data.due_date, recurrence: parsed.data.recurrence });
    if ('refused' in schedule) problems.push({ path: at(schedule.refused.path), message: schedule.refused.message });
  }
  if (problems.length > 0) {
    errors.add(...problems);
    return undefined;
  }
  return { input: parsed.data!, list: extra.list, createdAt, completedAt };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The lists a plan names: once each ignoring case, the first spelling (and colour) kept. */
function addList(lists: Map<string, ImportList>, name: string, color: string | null): void {
  if (!lists.has(name.toLowerCase())) lists.set(name.toLowerCase(), { name, color });
}

const fileListSchema = z.object({
  id: z.number({ error: 'must be the list’s id (an integer)' }).int('must be an integer').positive('must be positive').optional(),
  name: listNameSchema,
  color: colorSchema.optional(),
});

function planJson(file: unknown): ImportPlan {
  if (!isObject(file)) throw notAnExport('the file must be a JSON object { "user", "lists", "tasks" }.');
  if (!Array.isArray(file.tasks)) throw notAnExport('it has no "tasks" array.');
  if (file.lists !== undefined && !Array.isArray(file.lists)) throw notAnExport('"lists" must be an array.');
  const unknown = Object.keys(file).filter((key) => !['user', 'lists', 'tasks'].includes(key));
  if (unknown.length > 0) throw new HttpProblem(422, `This is not a Tasklane export: it has ${unknown.map((key) => `"${key}"`).join(', ')}.`, { errors: unknown.map((key) => ({ path: key, message: `${key} is not part of an export` })) });
  if (file.tasks.length > IMPORT_MAX_TASKS) throw tooManyTasks(file.tasks.length);

  const errors = new ImportErrors();
  const lists = new Map<string, ImportList>();
  const listNames = new Map<number, string>();
  (file.lists ?? []).forEach((raw: unknown, index: number) => {
    const at = (path: string) => `lists.${index + 1}${path ? `.${path}` : ''}`;
    const parsed = fileListSchema.safeParse(raw);
    if (!parsed.success) return errors.add(...fieldErrors(parsed.error, at));
    const { id, name, color } = parsed.data;
    if (id !== undefined) {
      if (listNames.has(id)) return errors.add({ path: at('id'), message: 'is the id of another list of the file' });
      listNames.set(id, name);
    }
    addList(lists, name, color ?? null);
  });

  const tasks: ImportTask[] = [];
  file.tasks.forEach((raw: unknown, index: number) => {
    const at = (path: string) => `tasks.${index + 1}${path ? `.${path}` : ''}`;
    if (!isObject(raw)) return errors.add({ path: at(''), message: 'must be a task object' });
    // The server's own fields are read past; list_id points into the file's lists.
    const { id: _id, user_id: _user, updated_at: _updated, created_at: createdAt, completed_at: completedAt, list_id: listId, ...body } = raw;
    let list: string | null = null;
    if (listId !== undefined && listId !== null) {
      const name = typeof listId === 'number' ? listNames.get(listId) : undefined;
      if (name === undefined) return errors.add({ path: at('list_id'), message: 'must be the id of one of the file’s lists, or null for the Inbox' });
      list = name;
    }
    const task = checkTask(body, { list, createdAt, completedAt }, at, errors);
    if (task) tasks.push(task);
  });
  errors.throwIfAny();
  return { lists: [...lists.values()], tasks };
}

/** A cell as read: null when the field was empty and unquoted (`,,`), a string otherwise (`""` is ""). */
type Cell = string | null;

function planCsv(text: string): ImportPlan {
  let records: Cell[][];
  try {
    records = parseCsv(text, {
      // Empty and unquoted is "no value"; quoted and empty is an empty string (export writes "" so).
      cast: (value: string, context: { quoting: boolean }) => (value === '' && !context.quoting ? null : value),
      bom: true,
      skip_empty_lines: true,
    }) as Cell[][];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    throw new HttpProblem(422, `Nothing was imported. The CSV could not be read${line ? ` at line ${line}` : ''}: ${error.message}`, {
      errors: [{ path: line ? `line ${line}` : '', message: error.message }],
    });
  }
  const unguard = (cell: Cell): Cell => (cell !== null && cell.startsWith(GUARD) ? cell.slice(GUARD.length) : cell);
  const [header, ...rows] = records.map((record) => record.map(unguard));
  if (!header) throw notAnExport('the CSV is empty; it needs a header row with at least a title column.');
  if (rows.length > IMPORT_MAX_TASKS) throw tooManyTasks(rows.length);

  const errors = new ImportErrors();
  const columns = header.map((cell) => (cell ?? '').trim().toLowerCase());
  const known = new Set<string>(CSV_COLUMNS);
  columns.forEach((column, index) => {
    if (!known.has(column) && !IGNORED.has(column)) errors.add({ path: `row 1: ${column || `column ${index + 1}`}`, message: `is not a column of a Tasklane CSV (${CSV_COLUMNS.join(', ')})` });
    else if (columns.indexOf(column) !== index) errors.add({ path: `row 1: ${column}`, message: 'appears twice in the header row' });
  });
  if (!columns.includes('title')) errors.add({ path: 'row 1: title', message: 'the header row must have a title column' });
  errors.throwIfAny();

  const lists = new Map<string, ImportList>();
  const tasks: ImportTask[] = [];
  rows.forEach((row, index) => {
    // Row 1 is the header, as a spreadsheet numbers it.
    const at = (path: string) => `row ${index + 2}: ${path}`;
    const cell = (column: CsvColumn): Cell | undefined => {
      const position = columns.indexOf(column);
      return position === -1 ? undefined : row[position];
    };
    const body: Record<string, unknown> = { title: cell('title') ?? '' };
    const description = cell('description');
    if (description !== undefined) body.description = description;
    const completed = cell('completed');
    if (completed != null) body.completed = completed.trim().toLowerCase() === 'true' ? true : completed.trim().toLowerCase() === 'false' ? false : completed;
    for (const column of ['priority', 'recur_from'] as const) {
      const value = cell(column);
      if (value != null && value !== '') body[column] = value;
    }
    const tags = cell('tags');
    if (tags != null && tags !== '') body.tags = tags.split(',');
    for (const column of ['due_date', 'due_time', 'recurrence', 'remind_at'] as const) {
      const value = cell(column);
      if (value !== undefined) body[column] = value === '' ? null : value;
    }
    let list: string | null = null;
    const listCell = cell('list');
    if (listCell != null && listCell !== '') {
      const name = listNameSchema.safeParse(listCell);
      if (!name.success) return errors.add({ path: at('list'), message: name.error.issues[0]!.message });
      list = name.data;
      addList(lists, list, null);
    }
    const empty = (value: Cell | undefined) => (value === '' ? null : value);
    const task = checkTask(body, { list, createdAt: empty(cell('created_at')), completedAt: empty(cell('completed_at')) }, at, errors);
    if (task) tasks.push(task);
  });
  errors.throwIfAny();
  return { lists: [...lists.values()], tasks };
}

/**
 * The body of `POST /import`, planned: 415 unless JSON or CSV, 413 past 10 MB (declared or
 * streamed: read under that cap, never whole), 400 unless UTF-8 (and JSON that parses), 422 when
 * it is not an export or a row is invalid, naming every one (up to 100), with nothing imported.
 */
export async function parseImport(request: Request): Promise<ImportPlan> {
  const type = mediaTypeOf(request.headers.get('content-type'));
  if (type !== 'application/json' && type !== 'text/csv') {
    throw new HttpProblem(415, 'Send a Tasklane export as application/json, or a CSV as text/csv.');
  }
  const bytes = await readBytes(request, IMPORT_MAX_BYTES);
  return type === 'text/csv' ? planCsv(decodeUtf8(bytes)) : planJson(parseJson(bytes));
}
