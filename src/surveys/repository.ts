/** Data access for surveys: rows in, SurveyRecords out; the definition is stored as JSON. */
import type { Db } from '../db/client.js';
import type { ResolvedDefinition } from './definition.js';

export type SurveyStatus = 'draft' | 'open' | 'closed';

export interface SurveyRecord {
  id: number;
  slug: string;
  status: SurveyStatus;
  definition: ResolvedDefinition;
}

export interface SurveyListing {
  slug: string;
  status: SurveyStatus;
  access: 'open' | 'invite';
  title: ResolvedDefinition['title'];
  closesAt: string | null;
  responses: number;
  purged: boolean;
  codesIssued?: number;
  codesSpent?: number;
}

interface Head {
  id: number;
  slug: string;
  status: SurveyStatus;
  /** The one part of an opened survey's definition that may still change (moved later, §12). */
  closesAt: string | null;
}
type Row = Head & { definition: string };

interface ListingRow {
  slug: string;
  status: SurveyStatus;
  access: 'open' | 'invite';
  definition: string;
  closesAt: string | null;
  responses: number;
  codesIssued: number;
  codesSpent: number;
  purged: number;
}

/** The definition and the protection columns stored beside it, in the statements' order. */
type Columns = [definition: string, access: string, minGroupSize: number, minDiversity: number, minComments: number, interimReleases: number, closesAt: string | null];

export function createSurveyRepository(db: Db) {
  const { sqlite } = db;
  // Read on every submission, so kept cheap: plain statements prepared once, and the parsed
  // definition of a survey that has opened is cached by id — it can never change again (§3).
  // A draft's definition is read every time: it may be edited.
  const headBySlug = sqlite.prepare<[string], Head>('select id, slug, status, closes_at as closesAt from surveys where slug = ?');
  const definitionOf = sqlite.prepare<[number], string>('select definition from surveys where id = ?').pluck();
  const frozen = new Map<number, ResolvedDefinition>();
  const responseCount = sqlite.prepare<[number], number>('select count(*) from responses where survey_id = ?').pluck();

  const byId = sqlite.prepare<[number], Row>('select id, slug, status, closes_at as closesAt, definition from surveys where id = ?');
  const byStatus = sqlite.prepare<[SurveyStatus], Row>('select id, slug, status, closes_at as closesAt, definition from surveys where status = ? order by slug');
  const insertSurvey = sqlite.prepare<[string, ...Columns], Row>(
    `insert into surveys (slug, status, definition, access, min_group_size, min_diversity, min_comments, interim_releases, closes_at)
     values (?, 'draft', ?, ?, ?, ?, ?, ?, ?) returning id, slug, status, closes_at as closesAt, definition`,
  );
  const updateDefinition = sqlite.prepare<[...Columns, number]>(
    `update surveys set definition = ?, access = ?, min_group_size = ?, min_diversity = ?, min_comments = ?, interim_releases = ?, closes_at = ?
     where id = ?`,
  );
  const setPurged = sqlite.prepare<[number]>('update surveys set purged = 1 where id = ?');
  // Only a draft, which nobody has answered: its invitation codes, if any, go with it (on delete cascade).
  const removeDraft = sqlite.prepare<[number]>("delete from surveys where id = ? and status = 'draft'");
  const updateStatus = sqlite.prepare<[SurveyStatus, number]>('update surveys set status = ? where id = ?');
  const markOpened = sqlite.prepare<[string, number]>('update surveys set opened_at = ? where id = ? and opened_at is null');
  // A round belongs to the series it names; a survey that names none is the series of its own
  // slug (a next round made from it carries that slug, §12). Opened before 0010: first, by creation.
  const roundsOf = sqlite.prepare<[string, string], { id: number; slug: string }>(
    `select id, slug from surveys
     where status != 'draft' and (json_extract(definition, '$.series') = ? or (slug = ? and json_extract(definition, '$.series') is null))
     order by opened_at is not null, opened_at, id`,
  );
  const listing = sqlite.prepare<[], ListingRow>(
    `select s.slug, s.status, s.access, s.definition, s.closes_at as closesAt,
            (select count(*) from responses r where r.survey_id = s.id) as responses,
            (select count(*) from invites i where i.survey_id = s.id) as codesIssued,
            (select count(*) from invites i where i.survey_id = s.id and i.spent = 1) as codesSpent,
            s.purged
     from surveys s order by s.slug`,
  );

  const toRecord = (row: Head & { definition?: string }): SurveyRecord => {
    let definition = row.status === 'draft' ? undefined : frozen.get(row.id);
    // Another connection (the job thread's, or this one) may have moved the closing date later.
    if (definition && (definition.closesAt ?? null) !== row.closesAt) definition = undefined;
    if (!definition) {
      definition = JSON.parse(row.definition ?? definitionOf.get(row.id)!) as ResolvedDefinition;
      if (row.status !== 'draft') frozen.set(row.id, definition);
    }
    return { id: row.id, slug: row.slug, status: row.status, definition };
  };

  const columnsOf = (def: ResolvedDefinition): Columns => [
    JSON.stringify(def),
    def.access,
    def.minGroupSize,
    def.minDiversity,
    def.minComments,
    def.interimReleases ? 1 : 0,
    def.closesAt ?? null,
  ];

  return {
    findBySlug(slug: string): SurveyRecord | undefined {
      const row = headBySlug.get(slug);
      return row ? toRecord(row) : undefined;
    },
    findById(id: number): SurveyRecord | undefined {
      const row = byId.get(id);
      return row ? toRecord(row) : undefined;
    },
    insert(def: ResolvedDefinition): SurveyRecord {
      return toRecord(insertSurvey.get(def.slug, ...columnsOf(def))!);
    },
    replaceDefinition(id: number, def: ResolvedDefinition): void {
      updateDefinition.run(...columnsOf(def), id);
    },
    /** Deletes a draft; answers whether there was one. */
    deleteDraft(id: number): boolean {
      return removeDraft.run(id).changes === 1;
    },
    markPurged(id: number): void {
      setPurged.run(id);
    },
    /** Changes a survey's status; `at` (ISO) records when it opened, once. */
    setStatus(id: number, status: SurveyStatus, at: Date = new Date()): void {
      sqlite.transaction(() => {
        updateStatus.run(status, id);
        if (status === 'open') markOpened.run(at.toISOString(), id);
      })();
    },
    /** The rounds of a series (§13): its surveys that have opened, in the order they opened. */
    rounds(series: string): { id: number; slug: string }[] {
      return roundsOf.all(series, series);
    },
    /** Every survey with its live response count (the only live figure staff may see, §6). */
    list(): SurveyListing[] {
      return listing.all().map((r) => ({
        slug: r.slug,
        status: r.status,
        access: r.access,
        closesAt: r.closesAt,
        responses: r.responses,
        purged: r.purged === 1,
        title: (JSON.parse(r.definition) as ResolvedDefinition).title,
        // Staff learn how many codes are spent, never which (§5).
        ...(r.access === 'invite' ? { codesIssued: r.codesIssued, codesSpent: r.codesSpent } : {}),
      }));
    },
    listByStatus(status: SurveyStatus): SurveyRecord[] {
      return byStatus.all(status).map((row) => toRecord(row));
    },
    countResponses(id: number): number {
      return responseCount.get(id) ?? 0;
    },
  };
}
export type SurveyRepository = ReturnType<typeof createSurveyRepository>;
