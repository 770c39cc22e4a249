// The `dojo` command's entry, for running it as a child process: class mode runs it as each learner, and
// the test kit runs it as a learner would.
import { fileURLToPath } from 'node:url';

export const dojoBin = fileURLToPath(new URL('../bin/dojo.js', import.meta.url));
