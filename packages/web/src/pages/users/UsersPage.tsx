/** Users (being built). */
import { PageHeader } from '../../components/PageHeader.tsx';

export function UsersPage() {
  return <PageHeader title="Users" />;
}
