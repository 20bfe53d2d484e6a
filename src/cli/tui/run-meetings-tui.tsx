import { loadInk, render } from './ink.js';
import type { Store } from '../../store/open-store.js';
import { listMeetings, type MeetingFilter } from '../../lifecycle/reading/list-meetings.js';
import { meetingDetails } from '../../lifecycle/reading/meeting-details.js';
import { MeetingsApp } from './meetings-app.js';
import { ColoursOn } from './colours.js';
import { colorWanted } from '../../support/color-env.js';

export interface RunMeetingsTuiOptions {
  store: Store;
  /** The filters given on the command line; the UI's toggles narrow them further. */
  filter: MeetingFilter;
  replay?: (id: number) => Promise<string>;
  refreshMs?: number;
  /** defaults.timezone: the days of the `rolplay report` line above the table. */
  companyTimeZone: string;
  /** For NO_COLOR (and FORCE_COLOR, which ink's chalk reads itself). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Draws the meetings UI until the operator quits. Loaded with a dynamic import from
 * meetings-command.ts, so ink and React cost nothing when output is piped.
 */
export async function runMeetingsTui(options: RunMeetingsTuiOptions): Promise<void> {
  const { store, filter } = options;
  const colours = colorWanted(options.env ?? process.env, true);
  await loadInk();
  const app = render(
    <ColoursOn.Provider value={colours}>
      <MeetingsApp
        loadMeetings={({ status, unmatched }) => listMeetings(store, {
          ...filter,
          status: status ? [status] : filter.status,
          unmatched: unmatched || filter.unmatched,
        })}
        loadDetail={(id) => meetingDetails(store, id)}
        loadSummary={async () => {
          // Loaded when first needed, after the list is drawn: the report's code and queries never delay it.
          const { loadWeekSummary } = await import('./week-summary.js');
          return loadWeekSummary(store, { timeZone: options.companyTimeZone, userEmail: filter.userEmail, now: Date.now() });
        }}
        replay={options.replay}
        refreshMs={options.refreshMs ?? 2000}
      />
    </ColoursOn.Provider>,
    { exitOnCtrlC: true },
  );
  await app.waitUntilExit();
}
