/**
 * The gallery (guide A steps 1–3, guide B step 1): search the application types, Add one, give it a
 * display name and its settings (the entry's own, e.g. a subdomain), then land on the new application.
 */
import { Button, Card, Group, Image, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { describeError, fieldErrors } from '../../api/errors.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { type AppType, type GalleryEntry, appKeys, useGallery } from './app-api.ts';

export function GalleryPage() {
  const gallery = useGallery();
  const [search, setSearch] = useState('');
  const [adding, setAdding] = useState<GalleryEntry | null>(null);
  const q = search.trim().toLowerCase();
  const entries = gallery.data?.items.filter((e) => !q || e.name.toLowerCase().includes(q) || e.description.toLowerCase().includes(q)) ?? [];

  return (
    <>
      <PageHeader title="Add application" description="Pick the application to provision from the gallery." />
      <TextInput label="Search the gallery" placeholder={gallery.data?.items[0]?.name ?? ''} value={search} onChange={(e) => setSearch(e.currentTarget.value)} maw={400} mb="md" />
      {gallery.isLoading && <LoadingState />}
      {gallery.error && <ErrorState error={gallery.error} onRetry={() => void gallery.refetch()} />}
      {gallery.data && entries.length === 0 && <EmptyState title="Nothing matches">Try another name.</EmptyState>}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {entries.map((e) => (
          <Card key={e.key} withBorder padding="md" aria-label={e.name}>
            <Group wrap="nowrap" align="flex-start">
              {e.logo && <Image src={e.logo} alt="" w={40} h={40} fit="contain" />}
              <Stack gap={4}>
                <Text fw={600}>{e.name}</Text>
                <Text size="sm" c="dimmed">
                  {e.description}
                </Text>
              </Stack>
            </Group>
            <Button mt="md" onClick={() => setAdding(e)} aria-label={`Add ${e.name}`}>
              Add
            </Button>
          </Card>
        ))}
      </SimpleGrid>
      {adding && <AddAppModal entry={adding} onClose={() => setAdding(null)} />}
    </>
  );
}

function AddAppModal({ entry, onClose }: { entry: GalleryEntry; onClose: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { displayName: entry.name, settings: Object.fromEntries(entry.settings.map((s) => [s.key, ''])) as Record<string, string> },
    validate: {
      displayName: (v) => (v.trim() ? null : 'Give the application a name'),
      // Only presence here: the server accepts more than the pattern (a pasted address is shortened) and names what it refuses.
      settings: Object.fromEntries(entry.settings.map((s) => [s.key, (v: string) => (s.required && !v.trim() ? `${s.label} is required` : null)])),
    },
  });
  const add = useMutation({
    mutationFn: (v: typeof form.values) => unwrap(api.POST('/api/apps', { body: { type: entry.key as AppType, displayName: v.displayName.trim(), settings: v.settings } })),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: appKeys.all });
      navigate(`/apps/${created.id}`);
    },
    onError: (e) => form.setErrors(fieldErrors(e)),
  });

  return (
    <Modal opened onClose={onClose} title={`Add ${entry.name}`}>
      <form onSubmit={form.onSubmit((v) => add.mutate(v))}>
        <Stack>
          <TextInput label="Display name" required {...form.getInputProps('displayName')} />
          {entry.settings.map((s) => (
            <TextInput key={s.key} label={s.label} description={`${s.description} Example: ${s.example}`} required={s.required} {...form.getInputProps(`settings.${s.key}`)} />
          ))}
          {add.error && Object.keys(fieldErrors(add.error)).length === 0 && (
            <Text c="red" size="sm" role="alert">
              {describeError(add.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              Add application
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
