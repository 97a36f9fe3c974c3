import {
  getRunningLoop,
  RuntimeError,
  _currentLoop,
  _getRunningLoop,
  _setCurrentLoopResolver,
  _setRunningLoop,
} from '../src/index.js';
import type { AbstractEventLoop } from '../src/index.js';

type CoreModule = typeof import('../src/index.js');

/** Stands for a loop: the slot only stores and returns it. */
function fakeLoop(label: string): AbstractEventLoop {
  return { label } as unknown as AbstractEventLoop;
}

/** Loads a second, independent copy of @tsio/core, as two versions in node_modules would be. */
function loadSecondCopy(): CoreModule {
  let copy: CoreModule | undefined;
  jest.isolateModules(() => {
    copy = require('../src/index.ts') as CoreModule;
  });
  if (copy === undefined) throw new Error('second copy did not load');
  return copy;
}

afterEach(() => {
  _setRunningLoop(null);
  _setCurrentLoopResolver(null);
});

describe('getRunningLoop', () => {
  it("throws RuntimeError('no running event loop') when none runs (test_get_running_loop)", () => {
    expect(() => getRunningLoop()).toThrow(RuntimeError);
    expect(() => getRunningLoop()).toThrow(/^no running event loop$/);
    expect(_getRunningLoop()).toBeNull();
  });

  it('returns the loop set by _setRunningLoop, until it is cleared', () => {
    const loop = fakeLoop('a');
    _setRunningLoop(loop);
    expect(getRunningLoop()).toBe(loop);
    expect(_getRunningLoop()).toBe(loop);
    _setRunningLoop(null);
    expect(_getRunningLoop()).toBeNull();
    expect(() => getRunningLoop()).toThrow('no running event loop');
  });

  it('is seen from async continuations and timers', async () => {
    const loop = fakeLoop('a');
    _setRunningLoop(loop);
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(getRunningLoop()).toBe(loop);
  });
});

describe('_currentLoop', () => {
  it('prefers the running loop over the resolver', () => {
    const running = fakeLoop('running');
    const resolver = jest.fn(() => fakeLoop('policy'));
    _setCurrentLoopResolver(resolver);
    _setRunningLoop(running);
    expect(_currentLoop()).toBe(running);
    expect(resolver).not.toHaveBeenCalled();
  });

  it('uses the installed resolver when no loop runs', () => {
    const policyLoop = fakeLoop('policy');
    _setCurrentLoopResolver(() => policyLoop);
    expect(_currentLoop()).toBe(policyLoop);
  });

  it('lets the resolver error propagate', () => {
    _setCurrentLoopResolver(() => {
      throw new RuntimeError('There is no current event loop');
    });
    expect(() => _currentLoop()).toThrow('There is no current event loop');
  });

  it('throws RuntimeError without loop or resolver, and after the resolver is removed', () => {
    expect(() => _currentLoop()).toThrow(RuntimeError);
    _setCurrentLoopResolver(() => fakeLoop('policy'));
    _setCurrentLoopResolver(null);
    expect(() => _currentLoop()).toThrow('no running event loop');
  });
});

describe('two copies of @tsio/core', () => {
  it('are really two copies (different classes)', () => {
    const other = loadSecondCopy();
    expect(other.RuntimeError).not.toBe(RuntimeError);
    expect(other.getRunningLoop).not.toBe(getRunningLoop);
  });

  it('share the running loop', () => {
    const other = loadSecondCopy();
    const loop = fakeLoop('shared');
    _setRunningLoop(loop);
    expect(other.getRunningLoop()).toBe(loop);
    other._setRunningLoop(null);
    expect(_getRunningLoop()).toBeNull();
    other._setRunningLoop(loop);
    expect(getRunningLoop()).toBe(loop);
  });

  it('share the current-loop resolver', () => {
    const other = loadSecondCopy();
    const policyLoop = fakeLoop('policy');
    other._setCurrentLoopResolver(() => policyLoop);
    expect(_currentLoop()).toBe(policyLoop);
  });

  it('throw each its own RuntimeError class, recognisable by name', () => {
    const other = loadSecondCopy();
    let thrown: unknown;
    try {
      other.getRunningLoop();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(other.RuntimeError);
    expect(thrown).not.toBeInstanceOf(RuntimeError);
    expect((thrown as Error).name).toBe('RuntimeError');
  });
});
