/** Groups (being built). */
import { PageHeader } from '../../components/PageHeader.tsx';

export function GroupsPage() {
  return <PageHeader title="Groups" />;
}
