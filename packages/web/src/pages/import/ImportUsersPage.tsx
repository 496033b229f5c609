/** Import users from CSV (being built). */
import { PageHeader } from '../../components/PageHeader.tsx';

export function ImportUsersPage() {
  return <PageHeader title="Import users from CSV" />;
}
