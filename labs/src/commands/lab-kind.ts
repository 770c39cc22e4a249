// `dojo lab up --mode kind`: the kind path. Its implementation is tracked in issue 5; until it lands the
// CLI says so in one line instead of half-starting anything.
import { UserError } from '../user-error.ts';
import type { LabUpFlags } from './lab.ts';

export async function kindUp(_flags: LabUpFlags): Promise<number> {
  throw new UserError('the kind mode is not available in this version yet; run `make lab-up MODE=local`');
}
