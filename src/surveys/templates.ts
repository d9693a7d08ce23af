/**
 * Survey templates (§12): ready-made questions, written for this programme in English, Spanish and
 * French, from which staff make a draft (`POST /api/surveys` with `{ template, slug, title }`).
 *
 * Wording rules: statements partners agree or disagree with are neutral (not leading) and speak
 * for the organisation ("we"); Spanish uses "usted", French "vous"; French puts a plain space
 * before ? ! : ; and uses the straight apostrophe, as locales/fr does.
 */
import { DEFAULT_TEXT_MAX_LENGTH, type LocalizedText, type Question, type SurveyDefinition } from './definition.js';

/** The protection settings a template recommends: fields of SurveyDefinition only. */
export type TemplateSettings = { access: 'invite' } & Partial<
  Pick<SurveyDefinition, 'minGroupSize' | 'minDiversity' | 'minComments' | 'interimReleases'>
>;

export interface SurveyTemplate {
  id: string;
  /** The default title; staff give their own when they make a survey from the template. */
  title: LocalizedText;
  /** Shown to partners at the top of the form. */
  description: LocalizedText;
  questions: Question[];
  /** Invitation codes are recommended: results are broken down by group only for invite surveys. */
  settings: TemplateSettings;
}

const L = (en: string, es: string, fr: string): LocalizedText => ({ en, es, fr });

// Shared questions and help lines.

const REGION: Question = {
  id: 'region',
  type: 'single_choice',
  grouping: true,
  prompt: L(
    'Where does your organisation mainly work?',
    '¿Dónde trabaja principalmente su organización?',
    'Où votre organisation travaille-t-elle principalement ?',
  ),
  help: L(
    'If your organisation works in several regions, choose the one where it does most of its work.',
    'Si su organización trabaja en varias regiones, elija aquella en la que realiza la mayor parte de su trabajo.',
    "Si votre organisation travaille dans plusieurs régions, choisissez celle où se concentre l'essentiel de son activité.",
  ),
  // Few regions on purpose: every extra option makes the groups smaller, and more of them hidden.
  options: [
    { value: 'africa', label: L('Africa', 'África', 'Afrique') },
    { value: 'americas', label: L('The Americas', 'Las Américas', 'Les Amériques') },
    { value: 'asia_pacific', label: L('Asia and the Pacific', 'Asia y el Pacífico', 'Asie et Pacifique') },
    { value: 'other_region', label: L('Another region', 'Otra región', 'Autre région') },
  ],
};

const NO_NAMES = L(
  'Please do not name any person or organisation, including your own: describe the situation instead.',
  'Por favor, no mencione a ninguna persona ni organización, ni siquiera la suya: describa la situación.',
  "Merci de ne nommer aucune personne ni aucune organisation, y compris la vôtre : décrivez plutôt la situation.",
);

const likert = (id: string, prompt: LocalizedText, help?: LocalizedText): Question =>
  help ? { id, type: 'likert', prompt, help } : { id, type: 'likert', prompt };

const comment = (id: string, prompt: LocalizedText): Question => ({
  id,
  type: 'text',
  maxLength: DEFAULT_TEXT_MAX_LENGTH,
  prompt,
  help: NO_NAMES,
});

/** The core template: how the programme and its funder work with partners, once a round. */
const PARTNER_FEEDBACK: SurveyTemplate = {
  id: 'partner-feedback',
  title: L('Partner feedback', 'Opiniones de las organizaciones socias', 'Avis des partenaires'),
  description: L(
    'How is the programme working for your organisation? Please answer on behalf of your organisation as a whole. Your answers are anonymous. It takes about ten minutes.',
    '¿Cómo le está funcionando el programa a su organización? Por favor, responda en nombre del conjunto de su organización. Sus respuestas son anónimas. Responder lleva unos diez minutos.',
    'Comment le programme fonctionne-t-il pour votre organisation ? Merci de répondre au nom de votre organisation dans son ensemble. Vos réponses sont anonymes. Comptez environ dix minutes.',
  ),
  settings: { access: 'invite' },
  questions: [
    REGION,
    {
      // Two grouping questions only: a third would make joint groups too small to publish.
      id: 'org_size',
      type: 'single_choice',
      grouping: true,
      prompt: L(
        'How many paid staff does your organisation have, full-time or part-time?',
        '¿Cuántas personas remuneradas trabajan en su organización, a tiempo completo o parcial?',
        'Combien de personnes rémunérées travaillent dans votre organisation, à temps plein ou à temps partiel ?',
      ),
      options: [
        { value: 'fewer_than_10', label: L('Fewer than 10', 'Menos de 10', 'Moins de 10') },
        { value: '10_to_50', label: L('10 to 50', 'De 10 a 50', 'De 10 à 50') },
        { value: 'more_than_50', label: L('More than 50', 'Más de 50', 'Plus de 50') },
      ],
    },
    likert(
      'understands_context',
      L(
        'The funder understands the context our organisation works in.',
        'La entidad financiadora comprende el contexto en el que trabaja nuestra organización.',
        'Le bailleur de fonds comprend le contexte dans lequel travaille notre organisation.',
      ),
    ),
    likert(
      'speak_freely',
      L(
        'We can tell the funder what we really think, without fear of consequences for our funding.',
        'Podemos decirle a la entidad financiadora lo que realmente pensamos, sin temer por nuestra financiación.',
        'Nous pouvons dire au bailleur de fonds ce que nous pensons vraiment, sans craindre de conséquences pour notre financement.',
      ),
    ),
    likert(
      'pace',
      L(
        'The pace of the programme suits our organisation.',
        'El ritmo del programa es adecuado para nuestra organización.',
        'Le rythme du programme convient à notre organisation.',
      ),
      L(
        'For example, the number of meetings, the deadlines and the reports we are asked for.',
        'Por ejemplo, el número de reuniones, los plazos y los informes que se nos piden.',
        'Par exemple, le nombre de réunions, les échéances et les rapports qui nous sont demandés.',
      ),
    ),
    likert(
      'useful_activities',
      L(
        "The programme's activities are useful to our work.",
        'Las actividades del programa son útiles para nuestro trabajo.',
        'Les activités du programme sont utiles à notre travail.',
      ),
    ),
    likert(
      'own_language',
      L(
        'We can take part fully in the programme in our own language.',
        'Podemos participar plenamente en el programa en nuestro propio idioma.',
        'Nous pouvons participer pleinement au programme dans notre propre langue.',
      ),
      L(
        'For example, in meetings, documents and calls, with interpretation or translation where needed.',
        'Por ejemplo, en las reuniones, los documentos y las llamadas, con interpretación o traducción cuando sea necesario.',
        'Par exemple, dans les réunions, les documents et les appels, avec interprétation ou traduction si nécessaire.',
      ),
    ),
    likert(
      'acted_on_feedback',
      L(
        'The funder acted on what partners said in the previous round of this survey.',
        'La entidad financiadora tomó medidas a partir de lo que dijeron las organizaciones socias en la ronda anterior de esta encuesta.',
        'Le bailleur de fonds a donné suite à ce que les partenaires ont exprimé lors de la précédente édition de ce questionnaire.',
      ),
      // Left unanswered rather than "neither": newcomers would otherwise swell the middle answer.
      L(
        "If this is your organisation's first round, please leave this statement unanswered.",
        'Si es la primera vez que su organización responde a esta encuesta, deje esta afirmación sin responder.',
        'Si votre organisation répond à ce questionnaire pour la première fois, laissez cette affirmation sans réponse.',
      ),
    ),
    {
      id: 'recommend',
      type: 'rating',
      min: 0,
      max: 10,
      prompt: L(
        'How likely are you to recommend the programme to a peer organisation?',
        '¿Con qué probabilidad recomendaría el programa a otra organización como la suya?',
        'Quelle est la probabilité que vous recommandiez le programme à une autre organisation comme la vôtre ?',
      ),
      help: L(
        '0 = not at all likely, 10 = extremely likely.',
        '0 = nada probable, 10 = extremadamente probable.',
        '0 = pas du tout probable, 10 = extrêmement probable.',
      ),
    },
    comment(
      'keep',
      L(
        'What should the programme keep doing?',
        '¿Qué debería seguir haciendo el programa?',
        "Qu'est-ce que le programme devrait continuer à faire ?",
      ),
    ),
    comment(
      'change',
      L(
        'What should the programme change?',
        '¿Qué debería cambiar en el programa?',
        'Que faudrait-il changer dans le programme ?',
      ),
    ),
  ],
};

/** A short survey after a convening (in person or online). One grouping question: fewer people attend. */
const EVENT_FEEDBACK: SurveyTemplate = {
  id: 'event-feedback',
  title: L('Convening feedback', 'Opiniones sobre el encuentro', 'Avis sur la rencontre'),
  description: L(
    'A few questions about the convening, to help prepare the next one. Please answer on behalf of your organisation. Your answers are anonymous. It takes about five minutes.',
    'Unas pocas preguntas sobre el encuentro, para ayudar a preparar el próximo. Por favor, responda en nombre de su organización. Sus respuestas son anónimas. Responder lleva unos cinco minutos.',
    'Quelques questions sur la rencontre, pour aider à préparer la prochaine. Merci de répondre au nom de votre organisation. Vos réponses sont anonymes. Comptez environ cinq minutes.',
  ),
  settings: { access: 'invite' },
  questions: [
    REGION,
    likert(
      'useful',
      L(
        'The convening was useful to our work.',
        'El encuentro fue útil para nuestro trabajo.',
        'La rencontre a été utile à notre travail.',
      ),
    ),
    likert(
      'heard',
      L(
        "Our organisation's views were heard during the convening.",
        'Durante el encuentro se escuchó la opinión de nuestra organización.',
        'Pendant la rencontre, le point de vue de notre organisation a été entendu.',
      ),
    ),
    likert(
      'own_language',
      L(
        'We could take part fully in our own language.',
        'Pudimos participar plenamente en nuestro propio idioma.',
        'Nous avons pu participer pleinement dans notre propre langue.',
      ),
    ),
    likert(
      'arrangements',
      L(
        'The practical arrangements met our needs.',
        'La logística del encuentro respondió a nuestras necesidades.',
        "L'organisation pratique de la rencontre a répondu à nos besoins.",
      ),
      L(
        'For example, invitations, visas, travel, the venue and accessibility or, if you took part online, the connection and the timing of sessions.',
        'Por ejemplo, las invitaciones, las visas, los viajes, el lugar y la accesibilidad o, si participó en línea, la conexión y los horarios de las sesiones.',
        'Par exemple, les invitations, les visas, les déplacements, le lieu et son accessibilité ou, si vous avez participé en ligne, la connexion et les horaires des séances.',
      ),
    ),
    comment(
      'keep',
      L(
        'What should be kept for the next convening?',
        '¿Qué debería mantenerse en el próximo encuentro?',
        'Que faudrait-il garder pour la prochaine rencontre ?',
      ),
    ),
    comment(
      'change',
      L(
        'What should be done differently at the next convening?',
        '¿Qué debería hacerse de otra manera en el próximo encuentro?',
        'Que faudrait-il faire autrement lors de la prochaine rencontre ?',
      ),
    ),
  ],
};

export const TEMPLATES: readonly SurveyTemplate[] = Object.freeze([PARTNER_FEEDBACK, EVENT_FEEDBACK]);

export function findTemplate(id: string): SurveyTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

/** The definition a template makes, with the given slug and title (a copy: editing it leaves the template alone). */
export function definitionFromTemplate(template: SurveyTemplate, slug: string, title: LocalizedText): SurveyDefinition {
  return structuredClone({
    slug,
    title,
    description: template.description,
    ...template.settings,
    questions: template.questions,
  });
}
