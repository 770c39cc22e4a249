// Compares what a learner's query matched with what the reference matched, in words a learner can act on.

export interface Comparison {
  verdict: 'pass' | 'fail' | 'not-graded';
  found: string;
  hint?: string;
}

export function compareMatches(
  unit: 'traces' | 'spans',
  expected: Set<string>,
  got: Set<string>,
): Comparison {
  const right = [...got].filter((x) => expected.has(x)).length;
  const summary = `matched ${got.size} ${unit}, expected ${expected.size}; ${right} of them ${right === 1 ? 'was' : 'were'} right`;
  if (expected.size === 0) {
    return {
      verdict: 'not-graded',
      found: `the reference query matches no ${unit} in this window, so the answer cannot be judged (${got.size} matched by yours)`,
      hint: "switch to the question's scenario and let traffic flow for a minute, then grade again",
    };
  }
  if (right === expected.size && got.size === expected.size) return { verdict: 'pass', found: summary };
  if (right === expected.size) {
    return {
      verdict: 'fail',
      found: summary,
      hint: `too broad: ${got.size - right} extra ${unit} match; add the condition that excludes them`,
    };
  }
  if (right === got.size && got.size > 0) {
    return {
      verdict: 'fail',
      found: summary,
      hint: `too narrow: ${expected.size - right} ${unit} are missing; a condition is too strict`,
    };
  }
  return {
    verdict: 'fail',
    found: summary,
    hint: 'the query selects different things: re-read the question and check each condition',
  };
}
