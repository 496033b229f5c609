/**
 * Placeholder for an application's Provisioning tab, so the OAuth callback's redirect
 * (`/apps/:id/provisioning?connected=1`) lands on a real route until the Applications pages exist.
 */
import { Alert } from '@mantine/core';
import { useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';

export function AppProvisioningPlaceholder() {
  const { id } = useParams();
  const [params] = useSearchParams();
  return (
    <>
      <PageHeader title="Provisioning" description={`Application ${id ?? ''}`} />
      {params.get('connected') === '1' && (
        <Alert color="green" title="Connected">
          The application is connected.
        </Alert>
      )}
    </>
  );
}
