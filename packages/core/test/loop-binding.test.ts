import {
  _LoopBinding,
  _setRunningLoop,
  RuntimeError,
  type AbstractEventLoop,
} from '../src/index.js';

const fakeLoop = (): AbstractEventLoop => ({}) as AbstractEventLoop;

describe('_LoopBinding', () => {
  afterEach(() => _setRunningLoop(null));

  it('binds to the running loop on first use, and refuses another loop after (test_lock_by_different_loops)', () => {
    const binding = new _LoopBinding();
    const owner = { toString: () => '<Lock>' };
    const first = fakeLoop();
    _setRunningLoop(first);
    expect(binding.get(owner)).toBe(first);
    expect(binding.get(owner)).toBe(first);
    _setRunningLoop(fakeLoop());
    expect(() => binding.get(owner)).toThrow(
      new RuntimeError('<Lock> is bound to a different event loop'),
    );
  });

  it('needs a running loop', () => {
    expect(() => new _LoopBinding().get({})).toThrow(new RuntimeError('no running event loop'));
  });
});
