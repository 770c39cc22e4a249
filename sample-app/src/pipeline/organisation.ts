// The simulated organisation whose changes flow through the delivery pipeline in the background: services
// that are not part of the running shop (the shop's own tiers change only when a scenario deploys them),
// each with how often its changes wait for a person, fail a stage or get rolled back.

export interface DeliveryProfile {
  /** share of changes whose production deploy waits for a person to approve it */
  manualApproval: number;
  /** shares of changes whose build / tests / production sync fail once and pass on the retry */
  flakyBuild: number;
  flakyTests: number;
  flakySync: number;
  /** shares of changes whose build / tests fail for good: the pipeline stops, nothing is deployed */
  brokenBuild: number;
  brokenTests: number;
  /** share of production deploys that cause a regression and are rolled back */
  rollback: number;
}

export interface DeliveredService {
  name: string;
  /** the version its first change in this run delivers; each later change bumps the patch number */
  firstVersion: string;
  profile: DeliveryProfile;
}

const typical: DeliveryProfile = {
  manualApproval: 0.25,
  flakyBuild: 0.04,
  flakyTests: 0.12,
  flakySync: 0.03,
  brokenBuild: 0.02,
  brokenTests: 0.04,
  rollback: 0.1,
};

export const backgroundServices: readonly DeliveredService[] = [
  { name: 'catalog', firstVersion: '3.12.0', profile: typical },
  { name: 'search', firstVersion: '1.31.0', profile: { ...typical, flakyTests: 0.2, rollback: 0.08 } },
  { name: 'recommendations', firstVersion: '0.18.0', profile: { ...typical, rollback: 0.16 } },
  { name: 'notifications', firstVersion: '2.4.0', profile: { ...typical, manualApproval: 0.1 } },
  // Money and stock: a person signs off most production deploys.
  { name: 'inventory', firstVersion: '5.2.0', profile: { ...typical, manualApproval: 0.7, rollback: 0.06 } },
  {
    name: 'accounts',
    firstVersion: '4.9.0',
    profile: { ...typical, manualApproval: 0.5, brokenTests: 0.06 },
  },
];

/** A deploy that must go through cleanly: a scenario's change, or the shop's baseline release. */
export const cleanProfile: DeliveryProfile = {
  manualApproval: 0,
  flakyBuild: 0,
  flakyTests: 0,
  flakySync: 0,
  brokenBuild: 0,
  brokenTests: 0,
  rollback: 0,
};

export const commitMessages: readonly string[] = [
  'Fix rounding of discounted totals',
  'Add pagination to the listing endpoint',
  'Bump express to 5.1.0',
  'Retry idempotent calls once on connection reset',
  'Cache the category tree for 60 s',
  'Log the request id on every error',
  'Remove the feature flag for the new checkout',
  'Validate quantities server-side',
  'Upgrade the PostgreSQL driver',
  'Shorten the health check timeout',
  'Translate error messages',
  'Index orders by customer and date',
  'Extract the pricing rules into a module',
  'Drop the unused legacy endpoint',
  'Send the weekly digest in batches',
  'Raise the connection pool to 20',
  'Fix a race in the stock reservation',
  'Add an SLO alert on p99 latency',
];
