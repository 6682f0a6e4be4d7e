import { taskSchema, type CreateTaskInput, type TaskDto, type UpdateTaskInput } from './task-schemas';

/**
 * The one mapping between a task on the wire (snake_case, timestamps as ISO-8601 strings) and a
 * task as the server's database and the msw mock keep it (camelCase, timestamps as Dates). Both
 * directions are driven by the wire schema's own keys, so a field added there reaches the
 * columns, the JSON and the mock's store without being listed again.
 */

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
/** Wire fields named `…_at` are instants: Dates in a record. */
type RecordValue<K, V> = K extends `${string}_at` ? Exclude<V, string> | Date : V;

/** A task as the database (Drizzle's `Task` row) and the mock store hold it. */
export type TaskRecord = { [K in keyof TaskDto as CamelCase<K & string>]: RecordValue<K, TaskDto[K]> };

const camelCase = (key: string) => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

const WIRE_FIELDS = Object.keys(taskSchema.shape).map((wire) => ({ wire, record: camelCase(wire) }));

/** The JSON the API answers with for `record`; other properties of the record (internal columns) stay out. */
export function toTaskJson(record: TaskRecord): TaskDto {
  const json: Record<string, unknown> = {};
  for (const { wire, record: key } of WIRE_FIELDS) {
    const value: unknown = record[key as keyof TaskRecord];
    json[wire] = value instanceof Date ? value.toISOString() : value;
  }
  return json as TaskDto;
}

/** A parsed create or update body as record fields (`due_date` → `dueDate`): what a write sets. */
export function toTaskFields<T extends CreateTaskInput | UpdateTaskInput>(input: T): TaskFields<T> {
  const fields: Record<string, unknown> = {};
  // Instants (`remind_at`) arrive as RFC 3339 strings and are kept as Dates, as the record holds them.
  for (const [key, value] of Object.entries(input)) fields[camelCase(key)] = key.endsWith('_at') && typeof value === 'string' ? new Date(value) : value;
  return fields as TaskFields<T>;
}
type TaskFields<T> = { [K in keyof T as CamelCase<K & string>]: RecordValue<K, T[K]> };
