import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import type { Dialect } from './migrations.js';
import { UsersRepo } from './users-repo.js';
import { ClientsRepo } from './clients-repo.js';
import { MeetingsRepo } from './meetings-repo.js';
import { MessagesRepo } from './messages-repo.js';
import { JobsRepo } from './jobs-repo.js';
import { SyncStateRepo } from './sync-state-repo.js';
import { LeasesRepo } from './leases-repo.js';
import { FollowUpRepo } from './follow-up-repo.js';
import { ConversationsRepo } from './conversations-repo.js';
import { DeferredMessagesRepo } from './deferred-messages-repo.js';
import { HealthRepo } from './health-repo.js';
import { SeriesRepo } from './series-repo.js';
import { RoleplaysRepo } from './roleplays-repo.js';
import { ReportRepo } from './report-repo.js';
import { VoiceMediaRepo } from './voice-media-repo.js';

export interface Repositories {
  users: UsersRepo;
  clients: ClientsRepo;
  meetings: MeetingsRepo;
  messages: MessagesRepo;
  jobs: JobsRepo;
  syncState: SyncStateRepo;
  leases: LeasesRepo;
  followUp: FollowUpRepo;
  conversations: ConversationsRepo;
  deferredMessages: DeferredMessagesRepo;
  health: HealthRepo;
  series: SeriesRepo;
  roleplays: RoleplaysRepo;
  report: ReportRepo;
  voiceMedia: VoiceMediaRepo;
}

export function createRepositories(db: Kysely<Database>, dialect: Dialect): Repositories {
  return {
    users: new UsersRepo(db),
    clients: new ClientsRepo(db),
    meetings: new MeetingsRepo(db, dialect),
    messages: new MessagesRepo(db),
    jobs: new JobsRepo(db, dialect),
    syncState: new SyncStateRepo(db),
    leases: new LeasesRepo(db, dialect),
    conversations: new ConversationsRepo(db),
    deferredMessages: new DeferredMessagesRepo(db),
    followUp: new FollowUpRepo(db, dialect),
    health: new HealthRepo(db, dialect),
    series: new SeriesRepo(db),
    roleplays: new RoleplaysRepo(db),
    report: new ReportRepo(db),
    voiceMedia: new VoiceMediaRepo(db),
  };
}
