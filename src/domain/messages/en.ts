import type { Messages } from './catalogue.js';
import { plural } from './intl-text.js';

const locale = 'en-GB';
const rubric = { discovery: 'discovery', objectionHandling: 'objection handling', nextStep: 'next step' } as const;

export const en = {
  locale,
  names: ['en', 'english', 'inglés', 'ingles'],
  englishName: 'English',
  nativeName: 'English',
  general: {
    welcome: ({ firstName, botEmail }) => [
      `Hi ${firstName}! You're registered with rolplay, your sales coach.`,
      `Invite ${botEmail} to a client meeting in Outlook and I'll send you a coaching plan here, practise with you, and log the outcome afterwards.`,
      'Reply "help" at any time to see what I can do.',
    ].join('\n\n'),
    notRegistered: 'This number is not registered with rolplay. If you are on the sales team, ask your administrator to add you.',
    yourClient: 'your client',
    cancelled: ({ title, when }) => `Heads-up: "${title}" (${when}) was cancelled in Outlook. I have stopped its coaching and reminder. If it is rescheduled, I will pick it up again.`,
    languageChanged: 'Done: I will write to you in English from now on. _Para español, envía *idioma es*._',
    languageUnknown: ({ asked, available }) => `I don't speak "${asked}" yet. I can write to you in ${available}: send *language* followed by one of them.`,
    languageCurrent: ({ available }) => `I write to you in English. I can also write in ${available}: send *language* followed by one of them, e.g. *language es*.`,
    coachNotConfigured: 'I can only follow commands for now (send *help*): the coach model is not configured. Ask your administrator to set gemini.apiKey.',
    coachRefused: 'Sorry, I cannot answer that one. Could you put it another way? I can help with your meeting, the client, or how to handle an objection.',
    coachCannotHelp: 'I cannot help with that one. Try asking about your meeting, the client or how to handle an objection.',
  },
  commands: {
    help: [
      '*rolplay, your sales coach*',
      '• *meetings*: your upcoming meetings',
      '• *switch N*: talk about meeting number N',
      '• *plan*: send the coaching plan again',
      '• *roleplay* (or *roleplay easy* / *roleplay hard*): I play the client',
      '• *stop*: end the role-play and get your score, compared with your last three',
      '_Each role-play\'s client leans on your weakest part lately (discovery, objections or next step)._',
      '• *digest off* / *digest on*: stop or resume your weekly summary',
      '• *language es*: cambiar a español',
      '• anything else: ask me about your meeting',
    ].join('\n'),
    helpAbout: ({ title }) => `\n\nRight now we are talking about *${title}*.`,
    noMeetings: 'You have no upcoming meetings with clients. Invite the coach to one in Outlook and I will prepare a plan.',
    planNotReady: ({ title }) => `The plan for *${title}* is not ready yet. I will send it as soon as it is.`,
    meetingsHeading: '*Your meetings*',
    meetingsFooter: 'Send *switch N* to talk about another one.',
    noSuchMeeting: ({ index, count }) => `There is no meeting ${index}. ${count === 0 ? 'You have no upcoming meetings.' : `Pick a number from 1 to ${count} (send *meetings* to see them).`}`,
    switched: ({ title, when, roleplayStopped }) => `Now talking about *${title}*, ${when}${roleplayStopped ? ' (the role-play was stopped)' : ''}. Ask me anything, or send *plan* or *roleplay*.`,
    digestOn: 'Your weekly digest is on: a summary of your week (meetings, role-plays, outcomes) when the week ends. Send *digest off* to stop it.',
    digestOff: 'Your weekly digest is off. Send *digest on* to get it again.',
    digestUnscheduled: ' (Weekly digests are not switched on for your team yet.)',
  },
  plan: {
    heading: ({ title }) => `Coaching plan: ${title}`,
    prepare: 'Prepare',
    objections: 'Likely objections',
    questions: 'Questions to ask',
    openingLine: 'Opening line',
    footer: 'Reply *roleplay* to practise with me playing the client, or *help* for everything I can do.',
  },
  roleplay: {
    noMeeting: 'There is no meeting to practise for yet. Send *meetings* to pick one.',
    notConfigured: 'Role-play needs the Gemini model, which is not configured yet. Ask your administrator to set gemini.apiKey.',
    startRefused: 'Sorry, I could not start the role-play for this meeting. Try *roleplay easy*, or ask me about the meeting instead.',
    turnRefused: '_(The client would not answer that one. Try saying it another way, or send *stop* to finish and get your score.)_',
    scoreRefused: 'Role-play stopped. Sorry, I could not score this practice. Send *roleplay* to practise again.',
    cannotContinue: 'The role-play cannot continue. Send *stop* to end it.',
    notRunning: 'No role-play is running. Send *roleplay* (or *roleplay hard*) to start one.',
    nothingToScore: 'Role-play stopped. There was nothing to score yet: send *roleplay* and answer the client a few times first.',
    sayAgain: 'Sorry, could you say that differently?',
    difficulty: { easy: 'easy', normal: 'normal', hard: 'hard' },
    intro: ({ difficulty, client, focus }) => `_Role-play (${difficulty}): I am ${client} now.${focus ? ` ${focus}` : ''} Send *stop* to finish and get your score._`,
    rubric,
    focusIntro: ({ part, average, practices }) =>
      `This client tests your ${rubric[part]}, your weakest part lately (${average}/10 over ${practices === 1 ? 'your last practice' : `your last ${practices} practices`}).`,
    compared: ({ direction, average, practices }) => {
      const base = practices === 1 ? `${average} in your last practice` : `a ${average} average over your last ${practices} practices`;
      return `${{ up: 'Up from', down: 'Down from', level: 'Level with' }[direction]} ${base}.`;
    },
    firstPractice: 'Your first scored practice: the next ones are compared with it.',
    trained: ({ part, mark }) => `This one trained your ${rubric[part]}: ${mark}/10.`,
    scoreHeading: ({ score }) => `Practice score: ${score}/10`,
    scoreParts: (s) => `Discovery ${s.discovery}/10 · Objection handling ${s.objectionHandling}/10 · Next step ${s.nextStep}/10`,
    twoTips: 'Two tips',
    practiseAgain: 'Send *roleplay* (or *roleplay hard*) to practise again.',
  },
  followUp: {
    reminder: ({ title, client }) => `How did ${title} with ${client} go? Reply with the outcome and next steps, or just Done.`,
    lateReminder: ({ title, client, ended }) => `${title} with ${client} ended ${ended}, and I couldn't ask you then. How did it go? Reply with the outcome and next steps, or just Done.`,
    nudge: ({ title, client }) => `Still keen to hear how ${title} with ${client} went. Reply with the outcome and next steps, or just Done.`,
    next: ({ question }) => `Next: ${question}`,
    alreadyAnswered: ({ title }) => `I already have your answer about ${title} and I'm logging it now.`,
    alreadyLogged: ({ title, inHubSpot }) => `${title} is already logged${inHubSpot ? ' in HubSpot' : ''}; nothing more to do.`,
    others: ({ count }) => plural(locale, count, { one: '# other', other: '# others' }),
    markedDone: 'marked as done',
    nextSteps: ({ steps }) => ` Next steps: ${steps}.`,
    dueBy: ({ action, day }) => `${action} (by ${day})`,
    logged: ({ title, people, tasks, summary }) =>
      `Logged ${title} to HubSpot for ${people}${tasks > 0 ? ` and ${plural(locale, tasks, { one: '# follow-up task', other: '# follow-up tasks' })}` : ''}: ${summary}.`,
    note: ({ problem }) => ` Note: ${problem}`,
    saved: ({ title, summary }) => `Saved the outcome of ${title}: ${summary}.`,
    problem: (p) => {
      switch (p.kind) {
        case 'notConfigured': return 'HubSpot is not set up (hubspot.accessToken), so nothing was logged there.';
        case 'noClientEmail': return 'Nothing went to HubSpot: the meeting has no client email.';
        case 'noContact': {
          const what = `HubSpot contact for ${p.missing.join(', ')}${p.canCreate ? '' : ' (turn on hubspot.createMissingContacts to create them)'}.`;
          return p.noteLogged ? `No ${what}` : `Nothing went to HubSpot: no ${what}`;
        }
        case 'failed': {
          const why = { token: 'its access token is not valid', permission: 'the rolplay app lacks a HubSpot permission', limit: 'HubSpot\'s API limit is used up', unreachable: 'HubSpot could not be reached' }[p.why];
          return p.noteLogged
            ? `The note is in HubSpot, but the follow-up tasks could not be created: ${why}. Your admin has been told.`
            : `It could not be logged to HubSpot: ${why}. Your admin has been told.`;
        }
      }
    },
  },
  digest: {
    heading: ({ period }) => `*Your week with rolplay* (${period})`,
    period: ({ days, to }) => `the ${days} days to ${to}`,
    meetings: ({ meetings, prepared }) => `• Meetings: ${meetings}, ${prepared} prepared with a plan`,
    noRoleplays: '• Role-plays: none this week. Send *roleplay* to practise your next meeting.',
    roleplays: ({ count, average, change, trend }) => `• Role-plays: ${count}, average ${average}/10${change}${trend}`,
    change: ({ direction, by }) => (direction === 'level' ? ', level with the week before' : `, ${direction} ${by} on the week before`),
    trend: ({ marks }) => `; by day ${marks}`,
    workOn: ({ part, average }) => `• Work on: *${part}* (${average}/10 on average)`,
    outcomesLogged: ({ count }) => `• Outcomes logged to HubSpot: ${count}`,
    missingHeading: '• Still missing an outcome:',
    missingItem: ({ title, day, answered }) => `  - ${title}, ${day}${answered ? ' (answered, not in HubSpot yet)' : ''}`,
    more: ({ count }) => `  - and ${count} more`,
    footer: ({ firstName }) => `_Reply *digest off* to stop these weekly summaries, ${firstName}._`,
    summaryLine: ({ meetings, prepared, roleplays, average, missing }) => [
      `${plural(locale, meetings, { one: '# meeting', other: '# meetings' })} (${prepared} prepared)`,
      roleplays === 0 ? 'no role-play' : `${plural(locale, roleplays, { one: '# role-play', other: '# role-plays' })}, average ${average}/10`,
      ...(missing > 0 ? [`${plural(locale, missing, { one: '# outcome', other: '# outcomes' })} missing`] : []),
    ].join('; '),
  },
  // (voice section last)
  voice: {
    unsupportedMedia: 'I can read text and listen to voice notes, but not images or documents. Type your message or send a voice note.',
    couldNotFetch: 'I could not open that voice note. Please type your message or send it again.',
    notUnderstood: 'Sorry, I could not make out that voice note. Please type your message or record it again.',
    tooLong: (limit) => `That voice note is longer than ${limit}, more than I can listen to. Please type it or send a shorter one.`,
    heard: (transcript) => `🎤 I heard: "${transcript}"`,
  },
} satisfies Messages;
