/** How a Provisioning section behaves inside the guided setup (SetupFlow.tsx). */
export interface FlowStep {
  /** Called once the section's changes are saved (or when there was nothing to save). */
  onNext: () => void;
}

export interface SectionProps {
  /** Present inside the guided setup: the save button becomes "Save and next". */
  flow?: FlowStep;
  /** Told whether the section holds unsaved edits (the page warns before they are lost). */
  onDirtyChange?: (dirty: boolean) => void;
}

/** Saves when there is something to save, then moves on; a failed save stays on the step (the section shows why). */
export async function saveThenNext(dirty: boolean, save: () => Promise<unknown>, flow: FlowStep): Promise<void> {
  if (dirty) {
    try {
      await save();
    } catch {
      return;
    }
  }
  flow.onNext();
}

interface Keyed {
  connection: unknown;
  settings: {
    mappings: unknown;
    matching: unknown;
    syncActions: unknown;
    groupSyncActions: unknown;
    scope: unknown;
    provisionGroups: unknown;
    cycleIntervalMinutes: unknown;
    notificationEmail: unknown;
    sendFailureEmails: unknown;
    deletionThreshold: unknown;
    requireApproval: unknown;
    scopingFilters: unknown;
  };
}

/**
 * The key of each section: its own stored settings, so a save elsewhere or a reload resets only the
 * section whose settings changed. A new test outcome (lastTest) updates the connection's badge
 * without remounting the form and its test report.
 */
export function sectionKeys(c: Keyed & { connection: Record<string, unknown> }) {
  const s = c.settings;
  return {
    connection: `connection-${JSON.stringify({ ...c.connection, lastTest: null })}`,
    mapping: `mapping-${JSON.stringify([s.mappings, s.matching])}`,
    actions: `actions-${JSON.stringify([s.syncActions, s.groupSyncActions])}`,
    settings: `settings-${JSON.stringify([s.scope, s.provisionGroups, s.cycleIntervalMinutes, s.notificationEmail, s.sendFailureEmails, s.deletionThreshold, s.requireApproval])}`,
    filters: `filters-${JSON.stringify([s.scope, s.scopingFilters])}`,
  };
}
