/**
 * Unsaved changes are never lost silently: a page holding edits warns before the browser leaves it
 * (beforeunload), before an in-app navigation to another page (react-router's blocker, with a
 * Stay / Leave dialog), and — through `confirmDiscard` — before it swaps out a form itself (a
 * guided step). Sections report their own dirtiness with `useReportDirty`.
 */
import { Button, Group, Modal, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useBlocker } from 'react-router';

let leavingOnPurpose = false;
/** Call right before a deliberate full-page departure (an OAuth redirect after saving) so it is not questioned. */
export const leaveOnPurpose = () => {
  leavingOnPurpose = true;
};

/** Reports `dirty` to the parent while mounted (and clean when unmounted). */
export function useReportDirty(dirty: boolean, onDirtyChange?: (dirty: boolean) => void): void {
  useEffect(() => {
    onDirtyChange?.(dirty);
  }, [dirty, onDirtyChange]);
  useEffect(() => () => onDirtyChange?.(false), [onDirtyChange]);
}

/** Dirtiness of several named sections: a stable reporter per name, and which ones hold edits. */
export function useDirtySections() {
  const [dirty, setDirty] = useState<Record<string, boolean>>({});
  const reporters = useRef(new Map<string, (d: boolean) => void>());
  const report = useCallback((name: string) => {
    let r = reporters.current.get(name);
    if (!r) {
      r = (d: boolean) => setDirty((prev) => (prev[name] === d ? prev : { ...prev, [name]: d }));
      reporters.current.set(name, r);
    }
    return r;
  }, []);
  const names = useMemo(() => Object.keys(dirty).filter((k) => dirty[k]), [dirty]);
  return { report, dirtyNames: names, anyDirty: names.length > 0 };
}

/** Asks before discarding edits in place; resolves true when the admin chooses to discard. */
export function confirmDiscard(what: string): Promise<boolean> {
  return new Promise((resolve) => {
    modals.openConfirmModal({
      title: 'Discard unsaved changes?',
      children: <Text size="sm">{what} has changes that are not saved yet. They will be lost.</Text>,
      labels: { confirm: 'Discard changes', cancel: 'Stay' },
      confirmProps: { color: 'red' },
      onConfirm: () => resolve(true),
      onCancel: () => resolve(false),
      onClose: () => resolve(false),
    });
  });
}

/** Warns before leaving the page (another page of the app, or the browser) while `dirty`. */
export function UnsavedChangesGuard({ dirty, what }: { dirty: boolean; what: string }) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    leavingOnPurpose = false;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (leavingOnPurpose) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
  return (
    <Modal opened={blocker.state === 'blocked'} onClose={() => blocker.reset?.()} title="Leave without saving?" centered>
      <Text size="sm">{what} has changes that are not saved yet. If you leave this page now, they are lost.</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => blocker.reset?.()}>
          Stay on this page
        </Button>
        <Button color="red" onClick={() => blocker.proceed?.()}>
          Leave without saving
        </Button>
      </Group>
    </Modal>
  );
}
