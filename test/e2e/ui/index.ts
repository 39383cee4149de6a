/** Every Playwright UI test, in the order the harness runs them. Add new tests here. */
import { consoleUiTest } from './console.ui';
import { cellsUiTest, interruptUiTest, tracebackAndInputUiTest } from './cells.ui';
import { floodUiTest } from './flood.ui';
import { crashUiTest } from './crash.ui';
import { environmentsUiTest } from './environments.ui';
import { htmlScriptUiTest } from './htmlScript.ui';
import { hubUiTest } from './hub.ui';
import { kernelsViewUiTest } from './kernelsView.ui';
import { mcpServerUiTest } from './mcpServer.ui';
import { notebookInputUiTest } from './notebookInput.ui';
import { twoNotebooksUiTest } from './notebooks.ui';
import { reloadUiTest } from './reload.ui';
import { restoredPanelUiTest } from './restoredPanel.ui';
import { progressUiTest } from './progress.ui';
import { plotUiTest, rKernelUiTest, twoFilesUiTest } from './richResults.ui';
import { runSelectionUiTest } from './runSelection.ui';
import { selectKernelUiTest } from './selectKernel.ui';
import { statementsUiTest } from './statements.ui';
import { twoPanelsUiTest } from './twoPanels.ui';
import { dataViewerUiTest, kernelHoverUiTest, variablesViewUiTest } from './variables.ui';
import type { UiTest } from './workbench';

export const uiTests: UiTest[] = [
  runSelectionUiTest,
  statementsUiTest,
  twoPanelsUiTest,
  progressUiTest,
  twoFilesUiTest,
  cellsUiTest,
  tracebackAndInputUiTest,
  interruptUiTest,
  plotUiTest,
  rKernelUiTest,
  selectKernelUiTest,
  floodUiTest,
  kernelsViewUiTest,
  mcpServerUiTest,
  crashUiTest,
  htmlScriptUiTest,
  twoNotebooksUiTest,
  notebookInputUiTest,
  hubUiTest,
  variablesViewUiTest,
  dataViewerUiTest,
  kernelHoverUiTest,
  environmentsUiTest,
  // Last: the window reload restarts the extension host under any test after it.
  reloadUiTest,
  restoredPanelUiTest,
  // After the reload test: it reloads the window too.
  consoleUiTest,
];
