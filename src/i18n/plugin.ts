/** Gives every request its language (`request.locale`) and a translator bound to it (`request.t`). */
import fp from 'fastify-plugin';
import type { i18n } from 'i18next';
import { negotiateLocale, type Locale, type Translate } from './index.js';

declare module 'fastify' {
  interface FastifyInstance {
    i18n: i18n;
    /** A translator for a given language, for replies whose language is not the request's. */
    translator(locale: Locale): Translate;
  }
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
  }
}

export default fp<{ i18n: i18n }>(
  async (app, { i18n }) => {
    const translators = new Map<Locale, Translate>();
    const translator = (locale: Locale): Translate => {
      let t = translators.get(locale);
      if (!t) {
        t = i18n.getFixedT(locale);
        translators.set(locale, t);
      }
      return t;
    };
    app.decorate('i18n', i18n);
    app.decorate('translator', translator);
    app.decorateRequest('locale', 'en');
    app.decorateRequest('t', null as unknown as Translate);
    app.addHook('onRequest', async (request) => {
      const query = request.query as Record<string, unknown> | undefined;
      request.locale = negotiateLocale(query?.lang, request.headers['accept-language']);
      request.t = translator(request.locale);
    });
  },
  { name: 'candor-i18n' },
);
