// Node checks of the admin charts' geometry (js/admin/chart.js).
//   node --test webtalk-demo/src/test/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { bars, labelled, peak } from '../../main/resources/web/js/admin/chart.js';

const buckets = [
  { start: 0, messages: 0, activeUsers: 0 },
  { start: 1, messages: 5, activeUsers: 2 },
  { start: 2, messages: 10, activeUsers: 2 },
  { start: 3, messages: 2, activeUsers: 1 },
];

test('the tallest bar fills the height, the others scale, zeros stay a hairline on the axis', () => {
  const chart = bars(buckets, 'messages', { width: 400, height: 100, gap: 4 });
  assert.equal(chart.max, 10);
  assert.equal(chart.total, 17);
  assert.deepEqual(chart.bars.map((b) => b.height), [1, 50, 100, 20]);
  assert.deepEqual(chart.bars.map((b) => b.y), [99, 50, 0, 80], 'bars stand on the bottom edge');
  assert.deepEqual(chart.bars.map((b) => b.x), [0, 100, 200, 300]);
  assert.ok(chart.bars.every((b) => b.width === 96));
  assert.deepEqual(chart.bars.map((b) => b.start), [0, 1, 2, 3]);
});

test('an empty period draws a flat axis; bad counts read as zero', () => {
  const chart = bars([{ start: 0, messages: 0 }, { start: 1, messages: -3 }, { start: 2, messages: 'x' }], 'messages',
    { width: 30, height: 10, gap: 0 });
  assert.equal(chart.max, 0);
  assert.deepEqual(chart.bars.map((b) => [b.height, b.y, b.value]), [[1, 9, 0], [1, 9, 0], [1, 9, 0]]);
  assert.deepEqual(bars([], 'messages').bars, []);
});

test('the peak is the first highest bucket; labels spread evenly and always include the newest', () => {
  assert.equal(peak(buckets, 'messages').start, 2);
  assert.equal(peak(buckets, 'activeUsers').start, 1, 'the first of equals');
  assert.equal(peak([{ start: 0, messages: 0 }], 'messages'), null);
  assert.deepEqual(labelled(24, 6), [3, 7, 11, 15, 19, 23]);
  assert.deepEqual(labelled(28, 7), [3, 7, 11, 15, 19, 23, 27]);
  assert.deepEqual(labelled(3, 6), [0, 1, 2]);
  assert.deepEqual(labelled(0), []);
});
