/** Results (§7): the latest release as JSON, as CSV and as a page. Public once something is released. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReleaseJson } from '../releases/content.js';
import { ErrorBody } from '../web/schemas.js';
import { CSV_LAYOUTS, resultsCsv } from './csv.js';
import { ResultsPage } from './page.js';

const SlugParams = z.object({ slug: z.string().max(100) });
const LangQuery = z.object({ lang: z.string().optional() }).passthrough();
const CsvQuery = LangQuery.extend({ layout: z.enum(CSV_LAYOUTS).optional().describe('long (one row per figure, the default) or wide (one row per question and group)') });

export default async function resultsRoutes(
  app: FastifyInstance,
  opts: { publicUrl: string },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { results } = app;

  r.get(
    '/api/surveys/:slug/results',
    {
      schema: {
        summary: 'The latest released results',
        description: 'Only released snapshots, never live figures. 404 (translated) before the first release.',
        tags: ['results'],
        params: SlugParams,
        querystring: LangQuery,
        response: { 200: ReleaseJson, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { release } = results.latest(request.params.slug);
      // The stored text, byte for byte: re-reading a release always gives identical JSON.
      return reply.type('application/json; charset=utf-8').send(release.json as unknown as ReleaseJson);
    },
  );

  r.get(
    '/api/surveys/:slug/results.csv',
    {
      schema: {
        summary: 'The latest released results as CSV',
        description: "Headers and labels in the reader's language (?lang=en|es|fr), separated by ',' in English and ';' with decimal commas in Spanish and French; spreadsheet formulas neutralised.",
        tags: ['results'],
        params: SlugParams,
        querystring: CsvQuery,
        produces: ['text/csv'],
        response: { 200: z.string().describe('CSV, UTF-8 with a byte-order mark.'), 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { survey, release } = results.latest(request.params.slug);
      const layout = request.query.layout ?? 'long';
      const csv = resultsCsv(survey.definition, release, request.locale, request.t, results.earlierRounds(release), layout);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${survey.slug}-results-${release.releasedOn}-${request.locale}${layout === 'wide' ? '-wide' : ''}.csv"`)
        .send(csv);
    },
  );

  r.get('/s/:slug/results', { schema: { hide: true, params: SlugParams, querystring: LangQuery } }, async (request, reply) => {
    const { survey, release } = results.latest(request.params.slug);
    // The address anyone can give `npm run audit`: PUBLIC_URL, never the request's Host header.
    const answered = app.commitments.answered(survey.slug);
    const address = `${opts.publicUrl}/api/surveys/${encodeURIComponent(survey.slug)}/results`;
    return reply.html(<ResultsPage ctx={request.pageContext()} def={survey.definition} release={release} review={answered?.review} address={address} earlier={results.earlierRounds(release)} commitments={answered?.commitments} />);
  });
}
