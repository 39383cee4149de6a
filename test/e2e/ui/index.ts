/** Every Playwright UI test, in the order the harness runs them. Add new tests here. */
import { runSelectionUiTest } from './runSelection.ui';
import type { UiTest } from './workbench';

export const uiTests: UiTest[] = [runSelectionUiTest];
