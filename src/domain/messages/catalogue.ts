/**
 * The message catalogue: every fixed text rolplay sends a salesperson, one catalogue per
 * language (en.ts, es.ts). A catalogue is typed as Messages, so a missing key fails the build,
 * and test/domain/messages checks the same at run time. No I/O.
 *
 * Texts with values in them are functions of one named-argument object; dates, numbers, plurals
 * and lists are formatted with Intl in the catalogue's locale (intl-text.ts), never by hand.
 */
export interface Messages {
  /** BCP 47 locale handed to Intl for dates, plurals and lists ("en-GB", "es-MX"). */
  locale: string;
  /** How a salesperson may name this language on WhatsApp ("es", "español", "spanish"). */
  names: readonly string[];
  /** The language's English name, as the prompts tell the model ("Write in Spanish (es)."). */
  englishName: string;
  /** The language's own name, as the salesperson reads it ("español"). */
  nativeName: string;
  general: GeneralMessages;
  commands: CommandMessages;
  plan: PlanMessages;
  roleplay: RoleplayMessages;
  followUp: FollowUpMessages;
  digest: DigestMessages;
  /** Voice notes and other media (issue 14). */
  voice: VoiceMessages;
}

export type Difficulty = 'easy' | 'normal' | 'hard';
export type RubricPart = 'discovery' | 'objectionHandling' | 'nextStep';

/** Registration, language, coach and notices that are not about one command. */
export interface GeneralMessages {
  welcome(a: { firstName: string; botEmail: string }): string;
  /** To a number no salesperson has (in defaults.language: there is no user to ask). */
  notRegistered: string;
  /** "your client" when a meeting has no named client. */
  yourClient: string;
  cancelled(a: { title: string; when: string }): string;
  /** Sent in the new language after "language es". */
  languageChanged: string;
  /** "language xx" for a language there is no catalogue for; `available` is formatted already. */
  languageUnknown(a: { asked: string; available: string }): string;
  /** "language" alone: the current language and how to change it. */
  languageCurrent(a: { available: string }): string;
  coachNotConfigured: string;
  coachRefused: string;
  coachCannotHelp: string;
}

export interface CommandMessages {
  help: string;
  helpAbout(a: { title: string }): string;
  noMeetings: string;
  planNotReady(a: { title: string }): string;
  meetingsHeading: string;
  meetingsFooter: string;
  noSuchMeeting(a: { index: number; count: number }): string;
  switched(a: { title: string; when: string; roleplayStopped: boolean }): string;
  digestOn: string;
  digestOff: string;
  digestUnscheduled: string;
}

/** The coaching plan's fixed parts; the rest is the model's, written in the same language. */
export interface PlanMessages {
  heading(a: { title: string }): string;
  prepare: string;
  objections: string;
  questions: string;
  openingLine: string;
  footer: string;
}

export interface RoleplayMessages {
  noMeeting: string;
  notConfigured: string;
  startRefused: string;
  turnRefused: string;
  scoreRefused: string;
  cannotContinue: string;
  notRunning: string;
  nothingToScore: string;
  /** Stands in for a client line the model got wrong. */
  sayAgain: string;
  difficulty: Record<Difficulty, string>;
  /** `difficulty`: its word from `difficulty`; `focus`: a focusIntro sentence or "". */
  intro(a: { difficulty: string; client: string; focus: string }): string;
  rubric: Record<RubricPart, string>;
  focusIntro(a: { part: RubricPart; average: string; practices: number }): string;
  compared(a: { direction: 'up' | 'down' | 'level'; average: string; practices: number }): string;
  firstPractice: string;
  trained(a: { part: RubricPart; mark: number }): string;
  scoreHeading(a: { score: number }): string;
  scoreParts(a: Record<RubricPart, number>): string;
  twoTips: string;
  practiseAgain: string;
}

/** A CRM problem the confirmation explains (log-outcome.ts decides which). */
export type CrmProblem =
  | { kind: 'notConfigured' }
  | { kind: 'noClientEmail' }
  | { kind: 'noContact'; missing: string[]; canCreate: boolean; noteLogged: boolean }
  | { kind: 'failed'; why: 'token' | 'permission' | 'limit' | 'unreachable'; noteLogged: boolean };

export interface FollowUpMessages {
  reminder(a: { title: string; client: string }): string;
  lateReminder(a: { title: string; client: string; ended: string }): string;
  nudge(a: { title: string; client: string }): string;
  /** A held-back question appended to a confirmation. */
  next(a: { question: string }): string;
  alreadyAnswered(a: { title: string }): string;
  alreadyLogged(a: { title: string; inHubSpot: boolean }): string;
  /** "3 others" after two client names. */
  others(a: { count: number }): string;
  markedDone: string;
  nextSteps(a: { steps: string }): string;
  dueBy(a: { action: string; day: string }): string;
  logged(a: { title: string; people: string; tasks: number; summary: string }): string;
  /** A CRM problem after a logged note. */
  note(a: { problem: string }): string;
  saved(a: { title: string; summary: string }): string;
  problem(p: CrmProblem): string;
}

export interface DigestMessages {
  heading(a: { period: string }): string;
  period(a: { days: number; to: string }): string;
  meetings(a: { meetings: number; prepared: number }): string;
  noRoleplays: string;
  roleplays(a: { count: number; average: string; change: string; trend: string }): string;
  change(a: { direction: 'up' | 'down' | 'level'; by: string }): string;
  trend(a: { marks: string }): string;
  workOn(a: { part: string; average: string }): string;
  outcomesLogged(a: { count: number }): string;
  missingHeading: string;
  /** `answered`: the salesperson answered, the note is not in HubSpot yet. */
  missingItem(a: { title: string; day: string; answered: boolean }): string;
  more(a: { count: number }): string;
  footer(a: { firstName: string }): string;
  /** {{2}} of twilio.templates.digest: the week in one line. */
  summaryLine(a: { meetings: number; prepared: number; roleplays: number; average: string; missing: number }): string;
}

/** Texts about media a salesperson sends: voice notes in, anything else refused. */
export interface VoiceMessages {
  /** An image, a document or anything that is not audio. */
  unsupportedMedia: string;
  /** The voice note could not be downloaded (gone, refused, too large, too slow, a forged link). */
  couldNotFetch: string;
  /** Gemini heard silence, noise or nothing it could make out (or could not transcribe at all). */
  notUnderstood: string;
  /** Longer than conversation.maxVoiceSeconds; `limit` is already worded ("3 minutes"). */
  tooLong: (limit: string) => string;
  /** Put before the outcome confirmation when the outcome came as a voice note: what was understood. */
  heard: (transcript: string) => string;
}
