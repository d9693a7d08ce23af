/**
 * The survey and the response body the submission bench posts: 20 questions (three single
 * choice, one of them a grouping question; nine likert; two multi choice; four ratings; two
 * text questions) in three languages, and one realistic response answering all twenty, with two
 * short comments (no e-mail, link or long digit run, so the scrubber does its ordinary work).
 */
import type { SurveyDefinition } from '../../src/surveys/definition.js';

export const BENCH_SLUG = 'bench-partner-survey';

export type ServerMode = 'candor' | 'bare';

/** Where the load goes, per server mode (scripts/bench/submit-server.ts). */
export const SUBMIT_PATHS: Record<ServerMode, string> = {
  candor: `/api/surveys/${BENCH_SLUG}/responses`,
  bare: `/bare/${BENCH_SLUG}/responses`,
};

/** RATE_LIMIT_PER_MINUTE for the bench: 50 connections from one address are never limited. */
export const BENCH_RATE_LIMIT_PER_MINUTE = 1_000_000;

const L = (en: string, es: string, fr: string) => ({ en, es, fr });
const option = (value: string, en: string, es: string, fr: string) => ({ value, label: L(en, es, fr) });

const likert = (id: string, en: string, es: string, fr: string) => ({ id, type: 'likert' as const, prompt: L(en, es, fr) });

export const benchSurvey: SurveyDefinition = {
  slug: BENCH_SLUG,
  title: L('Partner survey (bench)', 'Encuesta a socios (prueba de carga)', 'Enquête partenaires (banc d’essai)'),
  description: L('How is the programme working for you?', '¿Cómo le está funcionando el programa?', 'Comment le programme fonctionne-t-il pour vous ?'),
  questions: [
    {
      id: 'region',
      type: 'single_choice',
      grouping: true,
      prompt: L('Where does your organisation work?', '¿Dónde trabaja su organización?', 'Où votre organisation travaille-t-elle ?'),
      options: [
        option('africa', 'Africa', 'África', 'Afrique'),
        option('asia', 'Asia', 'Asia', 'Asie'),
        option('latin_america', 'Latin America', 'América Latina', 'Amérique latine'),
        option('europe', 'Europe', 'Europa', 'Europe'),
        option('other', 'Elsewhere', 'En otro lugar', 'Ailleurs'),
      ],
    },
    {
      id: 'role',
      type: 'single_choice',
      prompt: L('What is your role?', '¿Cuál es su función?', 'Quel est votre rôle ?'),
      options: [
        option('director', 'Director', 'Dirección', 'Direction'),
        option('programme', 'Programme staff', 'Equipo de programas', 'Équipe de programme'),
        option('finance', 'Finance', 'Finanzas', 'Finances'),
        option('other', 'Other', 'Otra', 'Autre'),
      ],
    },
    {
      id: 'years_partnered',
      type: 'single_choice',
      prompt: L('How long have you been a partner?', '¿Desde hace cuánto es socio?', 'Depuis combien de temps êtes-vous partenaire ?'),
      options: [
        option('under_1', 'Less than a year', 'Menos de un año', 'Moins d’un an'),
        option('1_3', 'One to three years', 'De uno a tres años', 'De un à trois ans'),
        option('over_3', 'More than three years', 'Más de tres años', 'Plus de trois ans'),
      ],
    },
    likert('speak_freely', 'I can speak freely with programme staff.', 'Puedo hablar libremente con el equipo del programa.', 'Je peux parler librement avec l’équipe du programme.'),
    likert('responsive', 'Activities respond to our needs.', 'Las actividades responden a nuestras necesidades.', 'Les activités répondent à nos besoins.'),
    likert('language_respected', 'Our language is respected.', 'Se respeta nuestro idioma.', 'Notre langue est respectée.'),
    likert('own_pace', 'We set our own pace.', 'Marcamos nuestro propio ritmo.', 'Nous avançons à notre rythme.'),
    likert('listened_to', 'Our suggestions are listened to.', 'Se escuchan nuestras sugerencias.', 'Nos suggestions sont écoutées.'),
    likert('reporting_burden', 'Reporting takes a reasonable amount of time.', 'Los informes llevan un tiempo razonable.', 'Les rapports prennent un temps raisonnable.'),
    likert('trust', 'The funder trusts our judgement.', 'El financiador confía en nuestro criterio.', 'Le bailleur fait confiance à notre jugement.'),
    likert('flexible_funding', 'Funding can follow changing needs.', 'La financiación puede seguir necesidades cambiantes.', 'Le financement peut suivre des besoins changeants.'),
    likert('peer_learning', 'We learn from other partners.', 'Aprendemos de otros socios.', 'Nous apprenons des autres partenaires.'),
    {
      id: 'activities',
      type: 'multi_choice',
      prompt: L('Which activities did you take part in?', '¿En qué actividades participó?', 'À quelles activités avez-vous participé ?'),
      options: [
        option('calls', 'Monthly calls', 'Llamadas mensuales', 'Appels mensuels'),
        option('mentoring', 'Mentoring', 'Mentoría', 'Mentorat'),
        option('workshops', 'Workshops', 'Talleres', 'Ateliers'),
        option('exchange_visits', 'Exchange visits', 'Visitas de intercambio', 'Visites d’échange'),
        option('online_library', 'Online library', 'Biblioteca en línea', 'Bibliothèque en ligne'),
      ],
    },
    {
      id: 'channels',
      type: 'multi_choice',
      prompt: L('How do you prefer to hear from us?', '¿Cómo prefiere recibir noticias nuestras?', 'Comment préférez-vous avoir de nos nouvelles ?'),
      options: [
        option('email', 'E-mail', 'Correo electrónico', 'Courriel'),
        option('messaging', 'Messaging app', 'Aplicación de mensajería', 'Messagerie'),
        option('phone', 'Phone', 'Teléfono', 'Téléphone'),
        option('meetings', 'Meetings', 'Reuniones', 'Réunions'),
      ],
    },
    {
      id: 'usefulness',
      type: 'rating',
      min: 0,
      max: 10,
      prompt: L('How useful is the programme overall?', '¿Qué tan útil es el programa en general?', 'Quelle est l’utilité globale du programme ?'),
    },
    {
      id: 'relevance',
      type: 'rating',
      min: 1,
      max: 10,
      prompt: L('How relevant are the workshops?', '¿Qué tan pertinentes son los talleres?', 'Quelle est la pertinence des ateliers ?'),
    },
    {
      id: 'recommend',
      type: 'rating',
      min: 0,
      max: 10,
      prompt: L('Would you recommend the programme?', '¿Recomendaría el programa?', 'Recommanderiez-vous le programme ?'),
    },
    {
      id: 'workload',
      type: 'rating',
      min: 1,
      max: 5,
      prompt: L('How heavy is the workload?', '¿Qué tan pesada es la carga de trabajo?', 'La charge de travail est-elle lourde ?'),
    },
    {
      id: 'what_to_change',
      type: 'text',
      prompt: L('What should change?', '¿Qué debería cambiar?', 'Que faudrait-il changer ?'),
    },
    {
      id: 'for_the_working_group',
      type: 'text',
      prompt: L('Anything else for the Working Group?', '¿Algo más para el Grupo de Trabajo?', 'Autre chose pour le groupe de travail ?'),
    },
  ],
};

/** Question ids of the text questions: the bare baseline stores these as comments. */
export const TEXT_QUESTIONS: ReadonlySet<string> = new Set(benchSurvey.questions.filter((q) => q.type === 'text').map((q) => q.id));
/** The grouping question: the bare baseline copies its answer into every answer row's cohort. */
export const GROUPING_QUESTION = 'region';

/** One partner's response, answering all twenty questions, in Spanish. */
export const benchBody = {
  locale: 'es',
  answers: {
    region: 'latin_america',
    role: 'programme',
    years_partnered: '1_3',
    speak_freely: 4,
    responsive: 4,
    language_respected: 5,
    own_pace: 3,
    listened_to: 4,
    reporting_burden: 2,
    trust: 4,
    flexible_funding: 3,
    peer_learning: 5,
    activities: ['calls', 'workshops', 'exchange_visits'],
    channels: ['email', 'meetings'],
    usefulness: 8,
    relevance: 7,
    recommend: 9,
    workload: 3,
    what_to_change: 'Los informes trimestrales toman demasiado tiempo; preferiríamos una conversación corta cada dos meses.',
    for_the_working_group: 'Las visitas de intercambio fueron lo más útil del año. Más encuentros entre socios de la región, por favor.',
  },
} as const;

export const benchBodyJson = JSON.stringify(benchBody);
