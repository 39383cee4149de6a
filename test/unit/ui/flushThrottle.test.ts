import * as assert from 'node:assert/strict';
import { FlushThrottle } from '../../../src/ui/results/flushThrottle';
import { FakeTimer } from '../fakeTimer';

describe('FlushThrottle (when a results panel sends its updates)', () => {
  function setUp() {
    const timer = new FakeTimer();
    let flushes = 0;
    const throttle = new FlushThrottle(() => flushes++, 100, timer, timer.clock);
    return { timer, throttle, flushes: () => flushes };
  }

  it('sends the first update without waiting for the interval (a 1+1 result reaches the panel at once)', () => {
    const { timer, throttle, flushes } = setUp();
    throttle.request();
    timer.advance(0);
    assert.equal(flushes(), 1);
  });

  it('joins requests made before the flush into one', () => {
    const { timer, throttle, flushes } = setUp();
    throttle.request();
    throttle.request();
    throttle.request();
    timer.advance(0);
    assert.equal(flushes(), 1);
  });

  it('sends at most once per interval while updates keep coming (a flood)', () => {
    const { timer, throttle, flushes } = setUp();
    throttle.request();
    timer.advance(0);
    for (let ms = 0; ms < 1000; ms += 10) {
      throttle.request();
      timer.advance(10);
    }
    assert.ok(flushes() <= 11, `${flushes()} flushes in 1 s at a 100 ms interval`);
    assert.ok(flushes() >= 9, `${flushes()} flushes: updates must still flow during a flood`);
  });

  it('waits for the rest of the interval after a flush, then sends', () => {
    const { timer, throttle, flushes } = setUp();
    throttle.request();
    timer.advance(0);
    timer.advance(30);
    throttle.request();
    timer.advance(69);
    assert.equal(flushes(), 1);
    timer.advance(1);
    assert.equal(flushes(), 2);
  });

  it('requestLater waits its delay, and a requestNow meanwhile sends once, on the next turn (a quick run)', () => {
    const { timer, throttle, flushes } = setUp();
    throttle.requestLater(100);
    timer.advance(99);
    assert.equal(flushes(), 0, 'a run start waits');
    throttle.requestNow();
    timer.advance(0);
    assert.equal(flushes(), 1, 'the end goes at once');
    timer.advance(200);
    assert.equal(flushes(), 1, "the start's flush was replaced, not added");
  });

  it('requestLater alone sends after its delay (a run still going shows as running)', () => {
    const { timer, throttle, flushes } = setUp();
    throttle.requestLater(100);
    throttle.request();
    timer.advance(99);
    assert.equal(flushes(), 0);
    timer.advance(1);
    assert.equal(flushes(), 1);
  });

  it('requestNow sends on the next turn even inside the interval (a run that ended right after its start)', () => {
    const { timer, throttle, flushes } = setUp();
    throttle.request();
    timer.advance(0);
    timer.advance(5);
    throttle.request();
    throttle.requestNow();
    timer.advance(0);
    assert.equal(flushes(), 2, 'the result must not wait the 95 ms left of the interval');
    timer.advance(200);
    assert.equal(flushes(), 2, 'the interval-bound flush it replaced must not also happen');
  });

  it('requestNow joins a flush already due on the next turn, and later requests wait the interval again', () => {
    const { timer, throttle, flushes } = setUp();
    throttle.requestNow();
    throttle.requestNow();
    throttle.request();
    timer.advance(0);
    assert.equal(flushes(), 1);
    throttle.request();
    timer.advance(99);
    assert.equal(flushes(), 1);
    timer.advance(1);
    assert.equal(flushes(), 2);
  });

  it('sends nothing after dispose', () => {
    const { timer, throttle, flushes } = setUp();
    throttle.request();
    throttle.dispose();
    timer.advance(1000);
    assert.equal(flushes(), 0);
  });
});
