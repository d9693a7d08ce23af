/** Data access for surveys: rows in, SurveyRecords out; the definition is stored as JSON. */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { surveys } from '../db/schema.js';
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

type Row = typeof surveys.$inferSelect;

export function createSurveyRepository(db: Db) {
  const { orm } = db;
  // Read on every submission, so kept cheap: plain statements prepared once, and the parsed
  // definition of a survey that has opened is cached by id — it can never change again (§3).
  // A draft's definition is read every time: it may be edited.
  const headBySlug = db.sqlite.prepare<[string], Pick<Row, 'id' | 'slug' | 'status'>>('select id, slug, status from surveys where slug = ?');
  const definitionOf = db.sqlite.prepare<[number], string>('select definition from surveys where id = ?').pluck();
  const frozen = new Map<number, ResolvedDefinition>();
  const responseCount = db.sqlite.prepare<[number], number>('select count(*) from responses where survey_id = ?').pluck();

  const toRecord = (row: Pick<Row, 'id' | 'slug' | 'status'> & { definition?: string }): SurveyRecord => {
    let definition = row.status === 'draft' ? undefined : frozen.get(row.id);
    if (!definition) {
      definition = JSON.parse(row.definition ?? definitionOf.get(row.id)!) as ResolvedDefinition;
      if (row.status !== 'draft') frozen.set(row.id, definition);
    }
    return { id: row.id, slug: row.slug, status: row.status, definition };
  };

  const columnsOf = (def: ResolvedDefinition) => ({
    definition: JSON.stringify(def),
    access: def.access,
    minGroupSize: def.minGroupSize,
    minDiversity: def.minDiversity,
    minComments: def.minComments,
    interimReleases: def.interimReleases,
    closesAt: def.closesAt ?? null,
  });

  return {
    findBySlug(slug: string): SurveyRecord | undefined {
      const row = headBySlug.get(slug);
      return row ? toRecord(row) : undefined;
    },
    findById(id: number): SurveyRecord | undefined {
      const row = orm.select().from(surveys).where(eq(surveys.id, id)).get();
      return row ? toRecord(row) : undefined;
    },
    insert(def: ResolvedDefinition): SurveyRecord {
      const row = orm.insert(surveys).values({ slug: def.slug, status: 'draft', ...columnsOf(def) }).returning().get();
      return toRecord(row);
    },
    replaceDefinition(id: number, def: ResolvedDefinition): void {
      orm.update(surveys).set(columnsOf(def)).where(eq(surveys.id, id)).run();
    },
    markPurged(id: number): void {
      orm.update(surveys).set({ purged: true }).where(eq(surveys.id, id)).run();
    },
    setStatus(id: number, status: SurveyStatus): void {
      orm.update(surveys).set({ status }).where(eq(surveys.id, id)).run();
    },
    /** Every survey with its live response count (the only live figure staff may see, §6). */
    list(): SurveyListing[] {
      const rows = orm
        .select({
          slug: surveys.slug,
          status: surveys.status,
          access: surveys.access,
          definition: surveys.definition,
          closesAt: surveys.closesAt,
          // Qualified by hand: drizzle renders ${surveys.id} as a bare "id" here, which the subquery
          // would read as r.id (and count nothing).
          responses: sql<number>`(select count(*) from responses r where r.survey_id = "surveys"."id")`,
          codesIssued: sql<number>`(select count(*) from invites i where i.survey_id = "surveys"."id")`,
          codesSpent: sql<number>`(select count(*) from invites i where i.survey_id = "surveys"."id" and i.spent = 1)`,
          purged: surveys.purged,
        })
        .from(surveys)
        .orderBy(surveys.slug)
        .all();
      return rows.map(({ definition, codesIssued, codesSpent, ...r }) => ({
        ...r,
        title: (JSON.parse(definition) as ResolvedDefinition).title,
        // Staff learn how many codes are spent, never which (§5).
        ...(r.access === 'invite' ? { codesIssued, codesSpent } : {}),
      }));
    },
    listByStatus(status: SurveyStatus): SurveyRecord[] {
      return orm.select().from(surveys).where(eq(surveys.status, status)).orderBy(surveys.slug).all().map(toRecord);
    },
    countResponses(id: number): number {
      return responseCount.get(id) ?? 0;
    },
  };
}
export type SurveyRepository = ReturnType<typeof createSurveyRepository>;
