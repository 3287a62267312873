import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { majorityVote, pickBest } from '../../pipelines/tasks/mcq/vote.ts';

const vote = suite('majorityVote');

vote('the most votes win', () => {
  assert.equal(majorityVote(['B', 'A', 'B', 'C', 'B']), { winner: 'B', counts: { B: 3, A: 1, C: 1 }, tied: false });
});

vote('tie rule: among tied options the one voted for first wins', () => {
  assert.equal(majorityVote(['C', 'A', 'A', 'C']), { winner: 'C', counts: { C: 2, A: 2 }, tied: true });
  assert.is(majorityVote(['A', 'C', 'C', 'A']).winner, 'A');
  assert.is(majorityVote(['D', 'B', 'A']).winner, 'D');
});

vote('tie rule: an abstention loses a tie with an option, even when it came first', () => {
  assert.equal(majorityVote([null, null, 'B', 'B']), { winner: 'B', counts: { IDK: 2, B: 2 }, tied: true });
});

vote('an abstention with strictly most votes abstains', () => {
  assert.is(majorityVote([null, 'A', null]).winner, null);
});

vote('unparsed samples do not vote; none parsed gives no winner', () => {
  assert.equal(majorityVote([undefined, 'A', undefined, 'B', 'B']).counts, { A: 1, B: 2 });
  assert.equal(majorityVote([undefined, undefined]), { winner: undefined, counts: {}, tied: false });
});

const best = suite('pickBest');

best('the highest score wins, the earliest on a tie, unscored samples never', () => {
  assert.is(pickBest([0.5, 1.5, 1.5, 0]), 1);
  assert.is(pickBest([undefined, -1, undefined]), 1);
  assert.is(pickBest([undefined, undefined]), -1);
});

vote.run();
best.run();
