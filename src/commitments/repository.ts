/** Commitments and their history (§13), as prepared statements; texts are stored as JSON. */
import type { Db } from '../db/client.js';
import type { LocalizedText } from '../surveys/definition.js';

export const COMMITMENT_STATUSES = ['planned', 'in_progress', 'done', 'not_doing'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];
export type Role = 'staff' | 'wg';

export interface Commitment {
  id: number;
  themeId: number | null;
  heard: LocalizedText;
  action: LocalizedText;
  status: CommitmentStatus;
  reason: LocalizedText | null;
  due: string | null;
  wgNote: LocalizedText | null;
  /** Its creation and every change: the day, the role, and which fields changed. */
  history: { date: string; by: Role; changes: string[] }[];
}

/** The fields a commitment holds, as written. */
export type CommitmentFields = Omit<Commitment, 'id' | 'history'>;

interface Row {
  id: number;
  surveyId: number;
  themeId: number | null;
  heard: string;
  action: string;
  status: CommitmentStatus;
  reason: string | null;
  due: string | null;
  wgNote: string | null;
}

const json = (v: LocalizedText | null) => (v === null ? null : JSON.stringify(v));
const parsed = (v: string | null) => (v === null ? null : (JSON.parse(v) as LocalizedText));

export function createCommitmentRepository(db: Db) {
  const { sqlite } = db;
  const columns = 'id, survey_id as surveyId, theme_id as themeId, heard, action, status, reason, due, wg_note as wgNote';
  const bySurvey = sqlite.prepare<[number], Row>(`select ${columns} from commitments where survey_id = ? order by id`);
  const byId = sqlite.prepare<[number], Row>(`select ${columns} from commitments where id = ?`);
  const historyOf = sqlite.prepare<[number], { date: string; by: Role; changes: string }>('select date, by, changes from commitment_history where commitment_id = ? order by id');
  const insert = sqlite.prepare<[number, number | null, string, string, string, string | null, string | null, string | null]>(
    'insert into commitments (survey_id, theme_id, heard, action, status, reason, due, wg_note) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const update = sqlite.prepare<[number | null, string, string, string, string | null, string | null, string | null, number]>(
    'update commitments set theme_id = ?, heard = ?, action = ?, status = ?, reason = ?, due = ?, wg_note = ? where id = ?',
  );
  const addHistory = sqlite.prepare<[number, string, Role, string]>('insert into commitment_history (commitment_id, date, by, changes) values (?, ?, ?, ?)');
  const themeSurvey = sqlite.prepare<[number], number>('select survey_id from themes where id = ?').pluck();

  const toCommitment = (row: Row): Commitment & { surveyId: number } => ({
    id: row.id,
    surveyId: row.surveyId,
    themeId: row.themeId,
    heard: parsed(row.heard)!,
    action: parsed(row.action)!,
    status: row.status,
    reason: parsed(row.reason),
    due: row.due,
    wgNote: parsed(row.wgNote),
    history: historyOf.all(row.id).map((h) => ({ date: h.date, by: h.by, changes: JSON.parse(h.changes) as string[] })),
  });

  return {
    list: (surveyId: number) => bySurvey.all(surveyId).map(toCommitment),
    find: (id: number) => {
      const row = byId.get(id);
      return row ? toCommitment(row) : undefined;
    },
    /** The survey a theme belongs to, if the theme exists. */
    surveyOfTheme: (themeId: number): number | undefined => themeSurvey.get(themeId),
    /** Stores a new commitment and its first history entry, in one transaction. */
    create: sqlite.transaction((surveyId: number, f: CommitmentFields, date: string, by: Role): number => {
      const id = Number(insert.run(surveyId, f.themeId, json(f.heard)!, json(f.action)!, f.status, json(f.reason), f.due, json(f.wgNote)).lastInsertRowid);
      addHistory.run(id, date, by, JSON.stringify(['created']));
      return id;
    }),
    /** Writes a commitment's fields and what changed, in one transaction. */
    update: sqlite.transaction((id: number, f: CommitmentFields, date: string, by: Role, changes: string[]): void => {
      update.run(f.themeId, json(f.heard)!, json(f.action)!, f.status, json(f.reason), f.due, json(f.wgNote), id);
      addHistory.run(id, date, by, JSON.stringify(changes));
    }),
  };
}
export type CommitmentRepository = ReturnType<typeof createCommitmentRepository>;
