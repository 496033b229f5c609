/** Group (being built). */
import { PageHeader } from '../../components/PageHeader.tsx';

export function GroupPage() {
  return <PageHeader title="Group" />;
}
