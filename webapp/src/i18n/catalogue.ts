import type { Reason } from '../actions/availability';
import type {
  ActivityOperation,
  ActorKind,
  BillingCycle,
  Role,
  SalesChannel,
  SubscriptionStatus,
  TermDuration,
} from '../api/generated';
import type { ErrorCode } from './codes';
import type { enMessages } from './en';

export type Language = 'de' | 'en';
export type MessageKey = keyof typeof enMessages;

/** Everything one language says. Each group is keyed by the enum it names, so the compiler refuses
 * a catalogue that misses a code, a status or a role of schema.graphql. */
export interface Catalogue {
  messages: Record<MessageKey, string>;
  errors: Record<ErrorCode, string>;
  reasons: Record<Reason, string>;
  statuses: Record<SubscriptionStatus, string>;
  roles: Record<Role, string>;
  billingCycles: Record<BillingCycle, string>;
  termDurations: Record<TermDuration, string>;
  channels: Record<SalesChannel, string>;
  operations: Record<ActivityOperation, string>;
  actorKinds: Record<ActorKind, string>;
}
