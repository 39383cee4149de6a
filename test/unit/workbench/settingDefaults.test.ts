import * as assert from 'node:assert/strict';
import { DEFAULT_CELL_MARKER } from '../../../src/editor/cells';
import { defaultLimits } from '../../../src/ui/results/resultsModel';
import { Settings } from '../../../src/workbench/settings';
import { configure, declared, recordingLog } from './settingsDouble';

/**
 * What each `kernelIslands.*` setting reads as, through the Settings method that reads it, in package.json's terms:
 * a method that answers "unset" with `undefined` (the caller then uses its own default) is read with that default.
 */
const readers: Record<string, (s: InstanceType<typeof Settings>) => unknown> = {
  'kernelIslands.pythonPath': (s) => s.pythonPath() ?? '',
  'kernelIslands.python.persistentHistory': (s) => s.pythonPersistentHistory(),
  'kernelIslands.shutdownDelaySeconds': (s) => s.shutdownDelayMs() / 1000,
  'kernelIslands.interruptTimeoutSeconds': (s) => s.interruptTimeoutSeconds(),
  'kernelIslands.reloadGraceSeconds': (s) => s.reloadGraceSeconds(),
  'kernelIslands.warmKernels': (s) => s.warmKernels(),
  'kernelIslands.agents.idleShutdownMinutes': (s) => s.agentLimits().idleShutdownMinutes,
  'kernelIslands.agents.maxContexts': (s) => s.agentLimits().maxContexts,
  'kernelIslands.agents.runTimeoutSeconds': (s) => s.agentLimits().runTimeoutSeconds,
  'kernelIslands.agents.sandbox': (s) => s.agentSandbox([]).enabled,
  'kernelIslands.agents.network': (s) => s.agentSandbox([]).profile.network,
  'kernelIslands.agents.env': (s) => Object.keys(s.agentSandbox([]).profile.env),
  'kernelIslands.agents.memoryMb': (s) => s.agentSandbox([]).profile.memoryMb,
  'kernelIslands.servers': (s) => s.servers(),
  'kernelIslands.hubs': (s) => s.hubs(),
  'kernelIslands.defaultServer': (s) => s.defaultServer(),
  'kernelIslands.transport': (s) => s.transport(),
  'kernelIslands.defaultKernel': (s) => s.defaultKernel(),
  'kernelIslands.languageKernels': (s) => s.languageKernels(),
  'kernelIslands.languages': (s) => s.languages(),
  // Unset, the editor uses its own marker (`documentCells`: `cellMarkerPattern() ?? DEFAULT_CELL_MARKER`).
  'kernelIslands.cells.markerPattern': (s) => s.cellMarkerPattern() ?? DEFAULT_CELL_MARKER,
  'kernelIslands.run.statementAware': (s) => s.statementAware(),
  'kernelIslands.inlineResults.enabled': (s) => s.inlineResultsEnabled(),
  'kernelIslands.results.maxOutputLines': (s) => s.resultsMaxOutputLines(),
  'kernelIslands.editor.kernelHover': (s) => s.editorKernelHover(),
  'kernelIslands.editor.kernelCompletions': (s) => s.editorKernelCompletions(),
  'kernelIslands.results.allowScripts': (s) => s.resultsAllowScripts(),
};

describe('setting defaults: package.json and workbench/settings agree', () => {
  beforeEach(() => configure({}));

  it('has a reader for every kernelIslands.* setting package.json declares, and none for a setting it does not', () => {
    const keys = Object.keys(declared).filter((k) => k.startsWith('kernelIslands.'));
    assert.deepEqual(keys.sort(), Object.keys(readers).sort(), 'a setting without a reader, or a reader without one');
  });

  it('with nothing configured, reads every setting as the default package.json declares, without a warning', () => {
    const log = recordingLog();
    const settings = new Settings(log);
    for (const [key, read] of Object.entries(readers)) {
      assert.ok('default' in declared[key], `${key} declares a default`);
      assert.deepEqual(read(settings), declared[key].default, key);
    }
    assert.deepEqual(log.warnings, []);
  });

  it('the results model keeps as many lines per run, unconfigured, as results.maxOutputLines says', () => {
    assert.equal(defaultLimits.maxLinesPerRun, declared['kernelIslands.results.maxOutputLines'].default);
  });
});
