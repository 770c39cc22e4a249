// Where changes come from: the organisation's background flow (random services, commits and messages)
// and the shop's own tiers, whose releases the catalog decides (labs/course/src/releases.ts).
import { loadCatalog, releaseOf, type TierRelease } from '@dojo/course';
import { backgroundServices, cleanProfile, commitMessages } from './organisation.ts';
import type { Change, Release } from './plan.ts';
import type { Random } from './random.ts';

/** The build number of a deploy of the shop's own tiers: rising with time, and the same in every process. */
export const labRunId = (liveMs: number) => Math.floor(liveMs / 1000) % 1_000_000;

export class ChangeSource {
  private readonly random: Random;
  private readonly repository = loadCatalog().releases.repository;
  /** the Jenkins build number of each pipeline, and each background service's last patch number */
  private readonly runIds = new Map<string, number>();
  private readonly patches = new Map<string, number>();
  /** each background service's latest release, which a rollback of its next change returns to */
  private readonly latest = new Map<string, Release>();

  constructor(random: Random) {
    this.random = random;
  }

  private runId(service: string): number {
    const next = (this.runIds.get(service) ?? 100 + Math.floor(this.random.next() * 1900)) + 1;
    this.runIds.set(service, next);
    return next;
  }

  /** A change to one of the organisation's services, whose pipeline finishes at `endMs`. */
  background(endMs: number): Change {
    const service = this.random.pick(backgroundServices);
    const [major, minor] = service.firstVersion.split('.');
    const patch = (this.patches.get(service.name) ?? -1) + 1;
    this.patches.set(service.name, patch);
    const release = { version: `${major}.${minor}.${patch}`, revision: this.random.hex(40) };
    const previous = this.latest.get(service.name);
    this.latest.set(service.name, release);
    return {
      service: service.name,
      ...release,
      message: this.random.pick(commitMessages),
      repository: `${this.repository}/${service.name}`,
      runId: this.runId(service.name),
      profile: service.profile,
      ...(previous ? { previous } : {}),
      endMs,
    };
  }

  /**
   * The change that delivers one of the shop's releases; it goes through cleanly. Its build number comes
   * from the moment it goes live, so a later run of the emitter (rolling it back) knows it too.
   */
  release(release: TierRelease, endMs: number, previous?: Release): Change {
    return {
      service: release.service,
      version: release.version,
      revision: release.revision,
      message: release.change,
      repository: release.repository,
      runId: labRunId(endMs),
      profile: cleanProfile,
      ...(previous ? { previous } : {}),
      endMs,
    };
  }

  /** The release a tier returns to when a scenario's deploy is rolled back. */
  static baselineOf(service: string): TierRelease {
    return releaseOf(service, 'healthy');
  }
}
