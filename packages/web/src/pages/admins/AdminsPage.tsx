/** Admins (being built). */
import { PageHeader } from '../../components/PageHeader.tsx';

export function AdminsPage() {
  return <PageHeader title="Admins" />;
}
