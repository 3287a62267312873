import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findNearMiss } from '../../lib/nearMiss.ts';

const near = suite('findNearMiss');

near('finds a swap, a missing, extra or wrong letter, and a case difference', () => {
  const known = ['id', 'cluster', 'question', 'options', 'answer', 'evidence', 'tags'];
  assert.is(findNearMiss('anwser', known), 'answer');
  assert.is(findNearMiss('questoin', known), 'question');
  assert.is(findNearMiss('evidnce', known), 'evidence');
  assert.is(findNearMiss('evdeince', known), 'evidence', 'two edits from a long name');
  assert.is(findNearMiss('tag', known), 'tags');
  assert.is(findNearMiss('ID', known), 'id');
});

near('leaves unrelated names and short near-names alone', () => {
  const known = ['id', 'cluster', 'question', 'options', 'answer', 'evidence', 'tags'];
  assert.is(findNearMiss('subject', known), undefined);
  assert.is(findNearMiss('answers_all', known), undefined);
  assert.is(findNearMiss('ip', known), undefined);
  assert.is(findNearMiss('choices', known), undefined);
  assert.is(findNearMiss('anwsre', known), undefined, 'two edits from a name shorter than 8 letters');
});

near.run();
